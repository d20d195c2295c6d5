import type { TenantContext } from '../../platform/database/tenant-context';

/**
 * Calls to a payment provider go over the network and may take seconds: they must never run
 * while a unit of work holds a transaction (a pooled connection, row locks) open. Services that
 * make them open their own units of work around the call and refuse to be called inside one.
 */
export function assertOutsideUnitOfWork(tenantContext: TenantContext, what: string): void {
  if (tenantContext.hasContext()) {
    throw new Error(`${what} calls a payment provider and must run outside any unit of work`);
  }
}
