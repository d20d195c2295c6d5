import { UnrecoverableError } from 'bullmq';
import type { JobScope } from './job-definitions';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The store a job acts for: a tenant-scoped job must name a valid store id or it is refused for
 * good (retrying a payload without a tenant cannot succeed); a platform job gets none.
 */
export function tenantOfJob(scope: JobScope, name: string, payload: unknown): string | null {
  if (scope === 'platform') return null;
  const tenantId =
    typeof payload === 'object' && payload !== null ? (payload as { tenantId?: unknown }).tenantId : undefined;
  if (typeof tenantId !== 'string' || !UUID.test(tenantId)) {
    throw new UnrecoverableError(`tenant job "${name}" refused: payload has no valid tenantId`);
  }
  return tenantId.toLowerCase();
}
