import { randomBytes, randomUUID } from 'node:crypto';
import type pg from 'pg';

/** Anything that can run a parameterised query as the administrator (RLS does not apply). */
export interface SeedDb {
  query(sql: string, params?: unknown[]): Promise<pg.QueryResult>;
}

/** Inserts one valid row of a tenant table for `tenantId`, creating any parent rows it needs. */
export type TenantTableSeed = (admin: SeedDb, tenantId: string) => Promise<void>;

/**
 * One seed per tenant table (every table in `public` with a `tenant_id` column). The isolation
 * suite (test/isolation.test.ts) discovers tenant tables from the catalog and fails for any table
 * that has no entry here, so whoever adds a tenant table adds its seed in the same change.
 *
 * Rules for a seed: insert exactly the table's own row plus whatever parents its foreign keys need
 * (call the parent's seed helper or insert directly), always with the given tenant, and use random
 * values for anything unique so a seed can run many times per tenant.
 */
export const TENANT_TABLE_SEEDS: Record<string, TenantTableSeed> = {
  // ---- reviews and notifications (migrations/1764600000000_reviews-notifications.sql) ----
  reviews: async (admin, tenantId) => {
    await insertReview(admin, tenantId);
  },
  review_reports: async (admin, tenantId) => {
    const reviewId = await insertReview(admin, tenantId);
    const reporter = await insertCustomer(admin, tenantId);
    await admin.query(
      `INSERT INTO review_reports (tenant_id, review_id, customer_id, reason) VALUES ($1, $2, $3, 'abusive')`,
      [tenantId, reviewId, reporter],
    );
  },
  notifications: async (admin, tenantId) => {
    const customerId = await insertCustomer(admin, tenantId);
    await admin.query(
      `INSERT INTO notifications (tenant_id, recipient_type, recipient_id, template, locale, title, body)
       VALUES ($1, 'customer', $2, 'order.paid', 'zh-CN', '支付成功', '种子通知')`,
      [tenantId, customerId],
    );
  },
  staff_accounts: async (admin, tenantId) => {
    await insertStaff(admin, tenantId);
  },
  customers: async (admin, tenantId) => {
    await insertCustomer(admin, tenantId);
  },
  technicians: async (admin, tenantId) => {
    await insertTechnician(admin, tenantId);
  },
  auth_sessions: async (admin, tenantId) => {
    await insertAuthSession(admin, tenantId);
  },
  refresh_tokens: async (admin, tenantId) => {
    const sessionId = await insertAuthSession(admin, tenantId);
    await admin.query(`INSERT INTO refresh_tokens (tenant_id, session_id, token_hash) VALUES ($1, $2, $3)`, [
      tenantId,
      sessionId,
      randomBytes(32),
    ]);
  },
  audit_events: async (admin, tenantId) => {
    await admin.query(
      `INSERT INTO audit_events (tenant_id, actor_type, actor_id, action, target_type, target_id, ip)
       VALUES ($1, 'staff', $2, 'seed.created', 'seed', $2, '127.0.0.1')`,
      [tenantId, randomUUID()],
    );
  },
  // ---- orders (migrations/1764400000000_orders.sql) ----
  customer_addresses: async (admin, tenantId) => {
    await insertCustomerAddress(admin, tenantId);
  },
  order_settings: async (admin, tenantId) => {
    await admin.query(`INSERT INTO order_settings (tenant_id) VALUES ($1) ON CONFLICT (tenant_id) DO NOTHING`, [
      tenantId,
    ]);
  },
  quotes: async (admin, tenantId) => {
    await insertQuote(admin, tenantId);
  },
  order_number_counters: async (admin, tenantId) => {
    // a random past date each run, so repeated seeds do not collide
    await admin.query(
      `INSERT INTO order_number_counters (tenant_id, local_date, last_seq)
       VALUES ($1, date '2000-01-01' + (random() * 9000)::int, 1) ON CONFLICT DO NOTHING`,
      [tenantId],
    );
  },
  orders: async (admin, tenantId) => {
    await insertOrder(admin, tenantId);
  },
  order_events: async (admin, tenantId) => {
    const orderId = await insertOrder(admin, tenantId);
    await admin.query(
      `INSERT INTO order_events (tenant_id, order_id, event, from_status, to_status, actor_type)
       VALUES ($1, $2, 'cancel', 'pending_payment', 'cancelled', 'system')`,
      [tenantId, orderId],
    );
  },
  order_extensions: async (admin, tenantId) => {
    const orderId = await insertOrder(admin, tenantId);
    await admin.query(
      `INSERT INTO order_extensions (tenant_id, order_id, minutes, amount_fen) VALUES ($1, $2, 30, 9900)`,
      [tenantId, orderId],
    );
  },
  refund_requests: async (admin, tenantId) => {
    const orderId = await insertOrder(admin, tenantId);
    await admin.query(
      `INSERT INTO refund_requests (tenant_id, order_id, amount_fen, fee_fen, technician_share_fen, status, requested_by_type)
       VALUES ($1, $2, 0, 0, 0, 'pending', 'system')`,
      [tenantId, orderId],
    );
  },
  // One row per store (primary key is tenant_id alone), so a repeated seed keeps the first row.
  store_profiles: async (admin, tenantId) => {
    await admin.query(
      `INSERT INTO store_profiles (tenant_id, address, lat, lng, introduction, area_center_lat, area_center_lng, area_radius_m)
       VALUES ($1, '上海市静安区', 31.22, 121.44, 'seed', 31.22, 121.44, 5000)
       ON CONFLICT (tenant_id) DO NOTHING`,
      [tenantId],
    );
  },
  technician_tiers: async (admin, tenantId) => {
    await insertTechnicianTier(admin, tenantId);
  },
  technician_certificates: async (admin, tenantId) => {
    const technicianId = await insertTechnician(admin, tenantId);
    const fileId = randomUUID();
    await admin.query(
      `INSERT INTO files (tenant_id, id, kind, content_type, size_bytes, storage_key, sha256, uploader_type,
                          uploaded_by, sensitive, encrypted)
       VALUES ($1, $2, 'certificate', 'application/pdf', 100, $3, $4, 'technician', $5, true, true)`,
      [
        tenantId,
        fileId,
        `tenants/${tenantId}/certificate/${fileId}.pdf`,
        randomBytes(32).toString('hex'),
        technicianId,
      ],
    );
    await admin.query(
      `INSERT INTO technician_certificates (tenant_id, technician_id, file_id, kind) VALUES ($1, $2, $3, 'health_certificate')`,
      [tenantId, technicianId, fileId],
    );
  },
  files: async (admin, tenantId) => {
    await insertImageFile(admin, tenantId);
  },
  service_categories: async (admin, tenantId) => {
    await insertServiceCategory(admin, tenantId);
  },
  services: async (admin, tenantId) => {
    await insertService(admin, tenantId);
  },
  service_durations: async (admin, tenantId) => {
    const serviceId = await insertService(admin, tenantId);
    await admin.query(
      `INSERT INTO service_durations (tenant_id, service_id, minutes, price_fen) VALUES ($1, $2, 60, 19800)`,
      [tenantId, serviceId],
    );
  },
  service_addons: async (admin, tenantId) => {
    const serviceId = await insertService(admin, tenantId);
    await admin.query(
      `INSERT INTO service_addons (tenant_id, service_id, kind, name_zh, minutes, price_fen, max_quantity)
       VALUES ($1, $2, 'extension', '种子加钟', 30, 9900, 4)`,
      [tenantId, serviceId],
    );
  },
  travel_fee_rules: async (admin, tenantId) => {
    // one rule set per store: a second run for the same store keeps the first
    await admin.query(
      `INSERT INTO travel_fee_rules (tenant_id, free_radius_m, price_per_km_fen, night_start_minute, night_end_minute,
                                     night_surcharge_fen, minimum_order_fen)
       VALUES ($1, 3000, 200, 1320, 360, 5000, 19800) ON CONFLICT (tenant_id) DO NOTHING`,
      [tenantId],
    );
  },
  booking_settings: async (admin, tenantId) => {
    await admin.query(`INSERT INTO booking_settings (tenant_id) VALUES ($1) ON CONFLICT (tenant_id) DO NOTHING`, [
      tenantId,
    ]);
  },
  shift_templates: async (admin, tenantId) => {
    const technicianId = await insertTechnician(admin, tenantId);
    await admin.query(
      `INSERT INTO shift_templates (tenant_id, technician_id, weekday, start_time, end_time)
       VALUES ($1, $2, 1, '10:00', '18:00')`,
      [tenantId, technicianId],
    );
  },
  shift_overrides: async (admin, tenantId) => {
    const technicianId = await insertTechnician(admin, tenantId);
    await admin.query(
      `INSERT INTO shift_overrides (tenant_id, technician_id, local_date, kind) VALUES ($1, $2, '2026-12-01', 'off')`,
      [tenantId, technicianId],
    );
  },
  technician_busy: async (admin, tenantId) => {
    // a fresh technician each time, so repeated seeds never meet the no-overlap constraint
    const technicianId = await insertTechnician(admin, tenantId);
    await admin.query(
      `INSERT INTO technician_busy (tenant_id, technician_id, during, kind, reference_id, location_lat, location_lng)
       VALUES ($1, $2, tstzrange('2026-12-01 10:00+08', '2026-12-01 11:00+08'), 'booking', gen_random_uuid(), 31.23, 121.47)`,
      [tenantId, technicianId],
    );
  },
  // ---- payments & ledger (migrations/1764500000000_payments-ledger.sql) ----
  journal_transactions: async (admin, tenantId) => {
    await insertJournalTransaction(admin, tenantId);
  },
  journal_entries: async (admin, tenantId) => {
    await insertJournalTransaction(admin, tenantId);
  },
  payment_settings: async (admin, tenantId) => {
    await admin.query(`INSERT INTO payment_settings (tenant_id) VALUES ($1) ON CONFLICT (tenant_id) DO NOTHING`, [
      tenantId,
    ]);
  },
  merchant_credentials: async (admin, tenantId) => {
    await admin.query(
      `INSERT INTO merchant_credentials (tenant_id, provider, merchant_id, config_enc)
       VALUES ($1, 'wechat', '1900000109', $2) ON CONFLICT (tenant_id, provider) DO NOTHING`,
      [tenantId, randomBytes(64)],
    );
  },
  payments: async (admin, tenantId) => {
    await insertPayment(admin, tenantId);
  },
  payment_callbacks: async (admin, tenantId) => {
    const paymentId = await insertPayment(admin, tenantId);
    await admin.query(
      `INSERT INTO payment_callbacks (tenant_id, provider, source, payment_id, outcome) VALUES ($1, 'sandbox', 'callback', $2, 'applied')`,
      [tenantId, paymentId],
    );
  },
  payment_mismatches: async (admin, tenantId) => {
    await admin.query(
      `INSERT INTO payment_mismatches (tenant_id, provider, source, kind, out_trade_no) VALUES ($1, 'sandbox', 'query', 'unknown_trade', $2)`,
      [tenantId, `P${randomBytes(15).toString('hex')}`],
    );
  },
  refunds: async (admin, tenantId) => {
    const paymentId = await insertPayment(admin, tenantId);
    const { rows } = await admin.query(`SELECT order_id FROM payments WHERE tenant_id = $1 AND id = $2`, [
      tenantId,
      paymentId,
    ]);
    await admin.query(
      `INSERT INTO refunds (tenant_id, order_id, payment_id, out_refund_no, amount_fen, reason, status, within_policy, requested_by_type)
       VALUES ($1, $2, $3, $4, 100, '种子退款', 'requested', false, 'system')`,
      [tenantId, (rows[0] as { order_id: string }).order_id, paymentId, `R${randomBytes(15).toString('hex')}`],
    );
  },
  // ---- dispatch (migrations/1764700000000_dispatch.sql) ----
  dispatch_settings: async (admin, tenantId) => {
    await admin.query(`INSERT INTO dispatch_settings (tenant_id) VALUES ($1) ON CONFLICT (tenant_id) DO NOTHING`, [
      tenantId,
    ]);
  },
  customer_technician_blocks: async (admin, tenantId) => {
    const customerId = await insertCustomer(admin, tenantId);
    const technicianId = await insertTechnician(admin, tenantId);
    await admin.query(
      `INSERT INTO customer_technician_blocks (tenant_id, customer_id, technician_id, reason) VALUES ($1, $2, $3, '种子')`,
      [tenantId, customerId, technicianId],
    );
  },
  dispatch_runs: async (admin, tenantId) => {
    const orderId = await insertOrder(admin, tenantId);
    await admin.query(`INSERT INTO dispatch_runs (tenant_id, order_id, mode) VALUES ($1, $2, 'auto')`, [
      tenantId,
      orderId,
    ]);
  },
  dispatch_offers: async (admin, tenantId) => {
    await insertDispatchOffer(admin, tenantId);
  },
  dispatch_log: async (admin, tenantId) => {
    const orderId = await insertOrder(admin, tenantId);
    await admin.query(
      `INSERT INTO dispatch_log (tenant_id, order_id, kind, reason_code, actor_type) VALUES ($1, $2, 'needs_staff', 'manual_mode', 'system')`,
      [tenantId, orderId],
    );
  },
  dispatch_appeals: async (admin, tenantId) => {
    const { orderId, technicianId } = await insertDispatchOffer(admin, tenantId);
    await admin.query(
      `INSERT INTO dispatch_appeals (tenant_id, order_id, technician_id, text) VALUES ($1, $2, $3, '种子申诉')`,
      [tenantId, orderId, technicianId],
    );
  },
  // ---- grab hall (migrations/1764800000000_grab-shared-pool.sql) ----
  grab_listings: async (admin, tenantId) => {
    const orderId = await insertOrder(admin, tenantId);
    await admin.query(
      `INSERT INTO grab_listings (tenant_id, order_id, service_name, duration_minutes, start_at, end_at, lat, lng,
                                  area_lat, area_lng, price_fen, earning_fen)
       VALUES ($1, $2, '种子服务', 60, '2026-12-01 10:00+08', '2026-12-01 11:00+08', 31.2304, 121.4737, 31.23,
               121.47, 19800, 9900)`,
      [tenantId, orderId],
    );
  },
  // ---- technician safety and withdrawals (migrations/1764900000000_technician-work.sql) ----
  sos_alerts: async (admin, tenantId) => {
    const technicianId = await insertTechnician(admin, tenantId);
    await admin.query(
      `INSERT INTO sos_alerts (tenant_id, technician_id, lat, lng, location_source, note)
       VALUES ($1, $2, 31.2304, 121.4737, 'reported', '种子求助')`,
      [tenantId, technicianId],
    );
  },
  withdrawals: async (admin, tenantId) => {
    const technicianId = await insertTechnician(admin, tenantId);
    await admin.query(`INSERT INTO withdrawals (tenant_id, technician_id, amount_fen) VALUES ($1, $2, 100)`, [
      tenantId,
      technicianId,
    ]);
  },
};

/** An open dispatch offer of a fresh order to a fresh technician. */
export async function insertDispatchOffer(
  admin: SeedDb,
  tenantId: string,
): Promise<{ orderId: string; technicianId: string }> {
  const orderId = await insertOrder(admin, tenantId);
  const technicianId = await insertTechnician(admin, tenantId);
  await admin.query(
    `INSERT INTO dispatch_offers (tenant_id, order_id, technician_id, round, step_index, radius_m, expires_at)
     VALUES ($1, $2, $3, 1, 0, 3000, now() + interval '1 minute')`,
    [tenantId, orderId, technicianId],
  );
  return { orderId, technicianId };
}

/** A balanced two-line journal transaction (both rows in one statement: the balance check is deferred anyway). */
export async function insertJournalTransaction(admin: SeedDb, tenantId: string): Promise<string> {
  const id = randomUUID();
  await admin.query(
    `WITH t AS (INSERT INTO journal_transactions (tenant_id, id, kind, memo) VALUES ($1, $2, 'correction', 'seed') RETURNING id)
     INSERT INTO journal_entries (tenant_id, transaction_id, line_no, account, amount_fen)
     SELECT $1, t.id, v.line_no, v.account, v.amount FROM t,
            (VALUES (1, 'store_revenue', -100), (2, 'wallet_funding', 100)) AS v(line_no, account, amount)`,
    [tenantId, id],
  );
  return id;
}

export async function insertPayment(admin: SeedDb, tenantId: string): Promise<string> {
  const orderId = await insertOrder(admin, tenantId);
  const { rows } = await admin.query(
    `INSERT INTO payments (tenant_id, order_id, kind, provider, channel, out_trade_no, amount_fen, customer_id, merchant_id)
     SELECT $1, id, 'charge', 'sandbox', 'h5', $3, total_fen, customer_id, 'SBX' FROM orders WHERE tenant_id = $1 AND id = $2
     RETURNING id`,
    [tenantId, orderId, `P${randomBytes(15).toString('hex')}`],
  );
  return (rows[0] as { id: string }).id;
}

// ---- parent-row helpers other seeds can reuse (each returns the new row's id) -----------------

export async function insertStaff(
  admin: SeedDb,
  tenantId: string,
  role: 'tenant_owner' | 'store_manager' | 'store_staff' = 'store_staff',
): Promise<string> {
  const { rows } = await admin.query(
    `INSERT INTO staff_accounts (tenant_id, email, password_hash, name, role)
     VALUES ($1, $2, 'not-a-real-hash', '种子店员', $3) RETURNING id`,
    [tenantId, `seed-${randomUUID()}@example.com`, role],
  );
  return (rows[0] as { id: string }).id;
}

export async function insertCustomer(admin: SeedDb, tenantId: string, nickname = '种子顾客'): Promise<string> {
  const { rows } = await admin.query(
    `INSERT INTO customers (tenant_id, phone_enc, phone_hash, phone_masked, nickname)
     VALUES ($1, $2, $3, '138****0000', $4) RETURNING id`,
    [tenantId, randomBytes(40), randomBytes(32), nickname],
  );
  return (rows[0] as { id: string }).id;
}

export async function insertTechnician(admin: SeedDb, tenantId: string): Promise<string> {
  const { rows } = await admin.query(
    `INSERT INTO technicians (tenant_id, phone_enc, phone_hash, phone_masked, name, status)
     VALUES ($1, $2, $3, '139****0000', '种子技师', 'approved') RETURNING id`,
    [tenantId, randomBytes(40), randomBytes(32)],
  );
  return (rows[0] as { id: string }).id;
}

export async function insertAuthSession(admin: SeedDb, tenantId: string): Promise<string> {
  const customerId = await insertCustomer(admin, tenantId);
  const { rows } = await admin.query(
    `INSERT INTO auth_sessions (tenant_id, principal_type, principal_id, expires_at)
     VALUES ($1, 'customer', $2, now() + interval '30 days') RETURNING id`,
    [tenantId, customerId],
  );
  return (rows[0] as { id: string }).id;
}

export async function insertTechnicianTier(admin: SeedDb, tenantId: string, commissionBps = 5000): Promise<string> {
  const { rows } = await admin.query(
    `INSERT INTO technician_tiers (tenant_id, code, name, commission_bps) VALUES ($1, $2, '种子等级', $3) RETURNING id`,
    [tenantId, `t${randomBytes(6).toString('hex')}`, commissionBps],
  );
  return (rows[0] as { id: string }).id;
}

export async function insertImageFile(admin: SeedDb, tenantId: string): Promise<string> {
  const id = randomUUID();
  await admin.query(
    `INSERT INTO files (tenant_id, id, kind, content_type, size_bytes, storage_key, sha256, uploader_type, uploaded_by)
     VALUES ($1, $2, 'image', 'image/png', 68, $3, $4, 'staff', $5)`,
    [tenantId, id, `tenants/${tenantId}/image/2026/11/${id}.png`, randomBytes(32).toString('hex'), randomUUID()],
  );
  return id;
}

export async function insertServiceCategory(admin: SeedDb, tenantId: string): Promise<string> {
  const { rows } = await admin.query(
    `INSERT INTO service_categories (tenant_id, name_zh, name_en) VALUES ($1, $2, 'Seed') RETURNING id`,
    [tenantId, `种子分类${randomBytes(4).toString('hex')}`],
  );
  return (rows[0] as { id: string }).id;
}

export async function insertService(admin: SeedDb, tenantId: string): Promise<string> {
  const categoryId = await insertServiceCategory(admin, tenantId);
  const { rows } = await admin.query(
    `INSERT INTO services (tenant_id, category_id, name_zh, required_skills) VALUES ($1, $2, '种子服务', '{tuina}') RETURNING id`,
    [tenantId, categoryId],
  );
  return (rows[0] as { id: string }).id;
}

export async function insertCustomerAddress(admin: SeedDb, tenantId: string, customerId?: string): Promise<string> {
  const owner = customerId ?? (await insertCustomer(admin, tenantId));
  const { rows } = await admin.query(
    `INSERT INTO customer_addresses (tenant_id, customer_id, contact_name, phone_enc, phone_hash, phone_masked, lat, lng,
                                     address_text, house_number, kind)
     VALUES ($1, $2, '种子联系人', $3, $4, '138****0000', 31.23, 121.47, '上海市静安区南京西路', '1号101', 'home') RETURNING id`,
    [tenantId, owner, randomBytes(40), randomBytes(32)],
  );
  return (rows[0] as { id: string }).id;
}

export async function insertQuote(
  admin: SeedDb,
  tenantId: string,
): Promise<{ id: string; customerId: string; serviceId: string }> {
  const customerId = await insertCustomer(admin, tenantId);
  const addressId = await insertCustomerAddress(admin, tenantId, customerId);
  const serviceId = await insertService(admin, tenantId);
  const { rows } = await admin.query(
    `INSERT INTO quotes (tenant_id, customer_id, service_id, service_name, duration_minutes, total_minutes, address_id,
                         start_at, end_at, distance_m, distance_origin, lines, subtotal_fen, adjustments_fen, total_fen,
                         expires_at)
     VALUES ($1, $2, $3, '种子服务', 60, 60, $4, '2026-12-01 10:00+08', '2026-12-01 11:00+08', 0, 'none', '[]',
             19800, 0, 19800, now() + interval '15 minutes') RETURNING id`,
    [tenantId, customerId, serviceId, addressId],
  );
  return { id: (rows[0] as { id: string }).id, customerId, serviceId };
}

export async function insertOrder(admin: SeedDb, tenantId: string): Promise<string> {
  const q = await insertQuote(admin, tenantId);
  const { rows } = await admin.query(
    `INSERT INTO orders (tenant_id, order_no, customer_id, quote_id, payment_method, service_id, service_name,
                         duration_minutes, total_minutes, start_at, end_at, lines, subtotal_fen, adjustments_fen,
                         total_fen, address_enc, address_kind, address_lat, address_lng, contact_phone_masked,
                         idempotency_key, request_hash)
     VALUES ($1, $2, $3, $4, 'sandbox', $5, '种子服务', 60, 60, '2026-12-01 10:00+08', '2026-12-01 11:00+08', '[]',
             19800, 0, 19800, $6, 'home', 31.23, 121.47, '138****0000', $7, $8) RETURNING id`,
    [
      tenantId,
      `SD${randomBytes(6).toString('hex')}`,
      q.customerId,
      q.id,
      q.serviceId,
      randomBytes(40),
      randomUUID(),
      randomBytes(32),
    ],
  );
  return (rows[0] as { id: string }).id;
}

/** A review of a completed order (the trigger requires one: completed, same customer and technician). */
export async function insertReview(admin: SeedDb, tenantId: string): Promise<string> {
  const orderId = await insertOrder(admin, tenantId);
  const technicianId = await insertTechnician(admin, tenantId);
  const { rows } = await admin.query(
    `UPDATE orders SET status = 'completed', technician_id = $3 WHERE tenant_id = $1 AND id = $2 RETURNING customer_id`,
    [tenantId, orderId, technicianId],
  );
  const review = await admin.query(
    `INSERT INTO reviews (tenant_id, order_id, customer_id, technician_id, stars, skill_stars, attitude_stars,
                          punctuality_stars, reviewer_label)
     VALUES ($1, $2, $3, $4, 5, 5, 5, 5, '种**') RETURNING id`,
    [tenantId, orderId, (rows[0] as { customer_id: string }).customer_id, technicianId],
  );
  return (review.rows[0] as { id: string }).id;
}
