import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FieldCipher, LookupHasher } from '../../src/platform/crypto/field-cipher';
import type { Factory, TestTenant } from './factories';

/** Store centre used by the order tests: 上海人民广场. The service area is 10 km around it. */
export const CENTRE = { lat: 31.2304, lng: 121.4737 };
/** ~30 km away: outside the area. */
export const FAR = { lat: 31.5, lng: 121.4737 };

export interface OrderStore {
  tenant: TestTenant;
  serviceId: string;
  addonId: string;
}

/** A store ready to take bookings: profile with area, one service (60/90 min), an add-on, travel rules. */
export async function orderStore(f: Factory, tenant: TestTenant): Promise<OrderStore> {
  await f.query(
    `INSERT INTO store_profiles (tenant_id, lat, lng, area_center_lat, area_center_lng, area_radius_m)
     VALUES ($1, $2, $3, $2, $3, 10000) ON CONFLICT (tenant_id) DO NOTHING`,
    [tenant.id, CENTRE.lat, CENTRE.lng],
  );
  const cat = await f.query<{ id: string }>(
    `INSERT INTO service_categories (tenant_id, name_zh) VALUES ($1, '中医推拿') RETURNING id`,
    [tenant.id],
  );
  const svc = await f.query<{ id: string }>(
    `INSERT INTO services (tenant_id, category_id, name_zh) VALUES ($1, $2, '全身推拿') RETURNING id`,
    [tenant.id, cat.rows[0]!.id],
  );
  const serviceId = svc.rows[0]!.id;
  await f.query(
    `INSERT INTO service_durations (tenant_id, service_id, minutes, price_fen) VALUES ($1, $2, 60, 19800), ($1, $2, 90, 26800)`,
    [tenant.id, serviceId],
  );
  const addon = await f.query<{ id: string }>(
    `INSERT INTO service_addons (tenant_id, service_id, kind, name_zh, price_fen, max_quantity)
     VALUES ($1, $2, 'material', '精油', 3000, 2) RETURNING id`,
    [tenant.id, serviceId],
  );
  await f.query(`INSERT INTO travel_fee_rules (tenant_id, free_radius_m, price_per_km_fen) VALUES ($1, 3000, 200)`, [
    tenant.id,
  ]);
  return { tenant, serviceId, addonId: addon.rows[0]!.id };
}

/** A customer of the store plus a token; `address` adds one address sealed with the app's keys. */
export async function orderCustomer(
  f: Factory,
  app: NestFastifyApplication,
  tenant: TestTenant,
  at: { lat: number; lng: number } = CENTRE,
): Promise<{ id: string; token: string; addressId: string }> {
  const phone = `138${String(randomBytes(4).readUInt32BE() % 100_000_000).padStart(8, '0')}`;
  const cipher = app.get(FieldCipher);
  const hasher = app.get(LookupHasher);
  const c = await f.query<{ id: string }>(
    `INSERT INTO customers (tenant_id, phone_enc, phone_hash, phone_masked) VALUES ($1, $2, $3, $4) RETURNING id`,
    [tenant.id, cipher.encrypt(phone, `${tenant.id}:customers.phone`), hasher.hash('phone', phone), '138****0000'],
  );
  const id = c.rows[0]!.id;
  const a = await f.query<{ id: string }>(
    `INSERT INTO customer_addresses (tenant_id, customer_id, contact_name, phone_enc, phone_hash, phone_masked, lat, lng,
                                     address_text, house_number, kind, is_default)
     VALUES ($1, $2, '王女士', $3, $4, $5, $6, $7, '上海市黄浦区人民大道', '1号101室', 'home', true) RETURNING id`,
    [
      tenant.id,
      id,
      cipher.encrypt(phone, `${tenant.id}:customer_addresses.phone`),
      hasher.hash('phone', phone),
      `${phone.slice(0, 3)}****${phone.slice(7)}`,
      at.lat,
      at.lng,
    ],
  );
  return { id, token: await f.token({ id, role: 'customer', tenantId: tenant.id }), addressId: a.rows[0]!.id };
}

/** An approved technician whose home base is near the store centre. */
export async function orderTechnician(f: Factory, tenant: TestTenant): Promise<string> {
  const t = await f.newTechnician(tenant, { status: 'approved', name: '李技师' });
  await f.query(`UPDATE technicians SET home_lat = $2, home_lng = $3 WHERE tenant_id = $1 AND id = $4`, [
    tenant.id,
    CENTRE.lat + 0.05,
    CENTRE.lng,
    t.id,
  ]);
  return t.id;
}

/** Tomorrow at hh:00 UTC (well inside lead time and booking window). */
export function tomorrowAt(hourUtc: number): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + 1);
  d.setUTCHours(hourUtc, 0, 0, 0);
  return d.toISOString();
}
