import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TenantContext } from '../../src/platform/database/tenant-context';
import { LedgerService } from '../../src/modules/ledger/ledger.service';
import { walletTopUp } from '../../src/modules/ledger/ledger-postings';
import { MerchantCredentialsService } from '../../src/modules/payments/merchant-credentials.service';
import {
  SANDBOX_HEADERS,
  sandboxSign,
  type SandboxNotification,
  type SandboxRefundNotification,
} from '../../src/modules/payments/providers/internal/sandbox-signature';
import type { TestTenant } from './factories';
import { tomorrowAt, type OrderStore } from './order-fixtures';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** HTTP helper for store routes. */
export function storeCaller(app: NestFastifyApplication) {
  return (
    method: Method,
    tenant: TestTenant,
    path: string,
    token?: string,
    payload?: object,
    headers: Record<string, string> = {},
  ) =>
    app.inject({
      method,
      url: `/t/${tenant.slug}/api/${path}`,
      headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(payload ? { payload } : {}),
    });
}

let hour = 0;
/**
 * A distinct start time per booking (tomorrow, on the hour, stepping through the day) so the
 * 60-minute holds of consecutive bookings of one technician never overlap. (A random quarter-hour
 * here once made the next hour's booking start inside the previous one 6 times in 16: SLOT_TAKEN.)
 */
export function nextStart(): string {
  hour = (hour + 1) % 12;
  return tomorrowAt(1 + hour);
}

/** Quote + book through the API; returns the order (pending_payment unless pay on arrival). */
export async function bookOrder(
  app: NestFastifyApplication,
  store: OrderStore,
  customer: { token: string; addressId: string },
  over: { paymentMethod?: string; technicianId?: string; startAt?: string } = {},
): Promise<{ id: string; totalFen: number; status: string }> {
  const call = storeCaller(app);
  const q = await call('POST', store.tenant, 'quotes', customer.token, {
    serviceId: store.serviceId,
    durationMinutes: 60,
    addons: [],
    addressId: customer.addressId,
    startAt: over.startAt ?? nextStart(),
    ...(over.technicianId ? { technicianId: over.technicianId } : {}),
  });
  expect(q.statusCode, q.body).toBe(201);
  const o = await call(
    'POST',
    store.tenant,
    'orders',
    customer.token,
    { quoteId: q.json().id, paymentMethod: over.paymentMethod ?? 'sandbox' },
    { 'idempotency-key': randomUUID() },
  );
  expect(o.statusCode, o.body).toBe(201);
  return o.json();
}

/** A sandbox notification signed with the store's sandbox key (or any key, to forge one). */
export function signedSandboxCallback(
  app: NestFastifyApplication,
  tenantId: string,
  n: Partial<SandboxNotification> & { outTradeNo: string; amountFen: number },
  opts: { key?: string; timestamp?: number } = {},
): { headers: Record<string, string>; body: string } {
  const creds = app.get(MerchantCredentialsService).sandboxCredentials(tenantId);
  const body = JSON.stringify({
    providerTradeNo: `SBX${randomBytes(6).toString('hex')}`,
    status: 'succeeded',
    currency: 'CNY',
    merchantId: creds.merchantId,
    paidAt: new Date().toISOString(),
    ...n,
  });
  return signedSandboxBody(app, tenantId, body, opts);
}

/** A sandbox refund notification (as SandboxProvider.settleRefund returns it), signed like a payment one. */
export function signedSandboxRefundCallback(
  app: NestFastifyApplication,
  tenantId: string,
  n: SandboxRefundNotification,
  opts: { key?: string; timestamp?: number } = {},
): { headers: Record<string, string>; body: string } {
  return signedSandboxBody(app, tenantId, JSON.stringify(n), opts);
}

function signedSandboxBody(
  app: NestFastifyApplication,
  tenantId: string,
  body: string,
  opts: { key?: string; timestamp?: number },
): { headers: Record<string, string>; body: string } {
  const creds = app.get(MerchantCredentialsService).sandboxCredentials(tenantId);
  const ts = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = randomBytes(8).toString('hex');
  return {
    body,
    headers: {
      'content-type': 'application/json',
      [SANDBOX_HEADERS.timestamp]: ts,
      [SANDBOX_HEADERS.nonce]: nonce,
      [SANDBOX_HEADERS.signature]: sandboxSign(opts.key ?? creds.key, ts, nonce, body),
    },
  };
}

/** Credits a customer's wallet through the ledger (top-up packages are a later feature). */
export async function topUpWallet(
  app: NestFastifyApplication,
  tenantId: string,
  customerId: string,
  amountFen: number,
) {
  await app
    .get(TenantContext)
    .run(tenantId, () => app.get(LedgerService).post(walletTopUp({ customerId, amountFen, reference: randomUUID() })));
}
