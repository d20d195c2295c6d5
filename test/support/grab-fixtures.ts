import { randomBytes, randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FieldCipher } from '../../src/platform/crypto/field-cipher';
import { ORDER_ADDRESS_AAD } from '../../src/modules/orders/order-view';
import type { Factory, TestTenant } from './factories';
import { CENTRE, orderCustomer, orderStore } from './order-fixtures';

export interface GrabStore {
  tenant: TestTenant;
  serviceId: string;
  customerId: string;
  addressId: string;
}

export async function grabStore(f: Factory, app: NestFastifyApplication, tenant: TestTenant): Promise<GrabStore> {
  const store = await orderStore(f, tenant);
  const c = await orderCustomer(f, app, tenant);
  return { tenant, serviceId: store.serviceId, customerId: c.id, addressId: c.addressId };
}

export const SECRET_ADDRESS = { addressText: '上海市黄浦区人民大道200号', houseNumber: '8栋1802室' };
export const SECRET_PHONE = '13812345678';

/** A paid order waiting for a technician (status `dispatching`), address sealed as the app does. */
export async function dispatchingOrder(
  f: Factory,
  app: NestFastifyApplication,
  s: GrabStore,
  o: { startAt: Date; minutes?: number; at?: { lat: number; lng: number }; totalFen?: number },
): Promise<string> {
  const minutes = o.minutes ?? 60;
  const at = o.at ?? CENTRE;
  const end = new Date(o.startAt.getTime() + minutes * 60_000);
  const total = o.totalFen ?? 19800;
  const q = await f.query<{ id: string }>(
    `INSERT INTO quotes (tenant_id, customer_id, service_id, service_name, duration_minutes, total_minutes, address_id,
                         start_at, end_at, distance_m, distance_origin, lines, subtotal_fen, adjustments_fen, total_fen,
                         expires_at)
     VALUES ($1, $2, $3, '全身推拿', $4, $4, $5, $6, $7, 0, 'none', '[]', $8, 0, $8, now() + interval '15 minutes')
     RETURNING id`,
    [s.tenant.id, s.customerId, s.serviceId, minutes, s.addressId, o.startAt, end, total],
  );
  const sealed = app
    .get(FieldCipher)
    .encrypt(
      JSON.stringify({ contactName: '王女士', phone: SECRET_PHONE, ...SECRET_ADDRESS }),
      ORDER_ADDRESS_AAD(s.tenant.id),
    );
  const { rows } = await f.query<{ id: string }>(
    `INSERT INTO orders (tenant_id, order_no, customer_id, quote_id, status, payment_method, service_id, service_name,
                         duration_minutes, total_minutes, start_at, end_at, lines, subtotal_fen, adjustments_fen,
                         total_fen, paid_fen, paid_at, address_enc, address_kind, address_lat, address_lng,
                         contact_phone_masked, idempotency_key, request_hash)
     VALUES ($1, $2, $3, $4, 'dispatching', 'sandbox', $5, '全身推拿', $6, $6, $7, $8, '[]', $9, 0, $9, $9, now(), $10,
             'home', $11, $12, '138****5678', $13, $14) RETURNING id`,
    [
      s.tenant.id,
      `GR${randomBytes(6).toString('hex')}`,
      s.customerId,
      q.rows[0]!.id,
      s.serviceId,
      minutes,
      o.startAt,
      end,
      total,
      sealed,
      at.lat,
      at.lng,
      randomUUID(),
      randomBytes(32),
    ],
  );
  return rows[0]!.id;
}

/** Approved technicians on duty near `at`, with tokens. */
export async function onDutyTechnicians(
  f: Factory,
  tenant: TestTenant,
  n: number,
  at: { lat: number; lng: number } = CENTRE,
): Promise<Array<{ id: string; token: string }>> {
  const out: Array<{ id: string; token: string }> = [];
  for (let i = 0; i < n; i++) {
    const t = await f.newTechnician(tenant, { status: 'approved', name: `技师${i}` });
    out.push({ id: t.id, token: await f.token({ id: t.id, role: 'technician', tenantId: tenant.id }) });
  }
  await f.query(
    `UPDATE technicians SET online = true, online_since = now(), last_lat = $2, last_lng = $3, located_at = now()
      WHERE tenant_id = $1 AND id = ANY($4::uuid[])`,
    [tenant.id, at.lat + 0.01, at.lng, out.map((t) => t.id)],
  );
  return out;
}

/** Tomorrow at hh:mm UTC plus `slot` hours. */
export function slotStart(slot: number): Date {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + 1);
  d.setUTCHours(0, 0, 0, 0);
  return new Date(d.getTime() + slot * 90 * 60_000);
}
