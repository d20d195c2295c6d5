import { randomBytes } from 'node:crypto';
import type { RequestSpec } from 'autocannon';
import type { QueryResultRow } from 'pg';
import { defineScenario } from '../lib/scenario';
import { seedCustomerWithAddress, seedOnlineTechnicians, seedStore } from '../lib/seed-helpers';

interface State {
  slug: string;
  tokens: string[];
  orderIds: string[];
}

const TECHNICIANS = 200;
/** 60 non-overlapping 90-minute slots × 50 orders: a technician can win one order per slot. */
const SLOTS = 60;
const PER_SLOT = 50;
/** Consecutive requests hit the same order this many times: real contention, steady winners. */
const CLAIMS_PER_ORDER = 4;
const CENTRE = { lat: 31.2304, lng: 121.4737 };

/**
 * 抢单 storm over HTTP: 200 technicians on duty claim open grab orders (3000 listed, 50 per time
 * slot). Each order is claimed by several technicians in a row, so most answers are 409
 * (ALREADY_TAKEN / SLOT_TAKEN: correct answers) and a steady share are wins, each a full
 * assignment (listing update, busy-time hold under the EXCLUDE constraint, transition, dispatch log,
 * grab.taken fan-out to the 199 others). `verify` checks the database afterwards: one winner per
 * order, every winner holds exactly that order, nobody double-booked.
 */
export default defineScenario<State>({
  name: 'grab-storm',
  description: 'technicians: POST /t/{slug}/api/grab/orders/{id}/claim (200 technicians × 3000 open orders)',
  offeredRate: 100,
  targets: { p99_ms_max: 50, errors_max: 0, rss_mb_max: 300 },
  expectedStatuses: [409],

  async seed(ctx) {
    const store = await seedStore(ctx, 'bench-grab', '压测门店抢单');
    const q = <R extends QueryResultRow = { id: string }>(sql: string, params: unknown[]) =>
      ctx.admin.query<R>(sql, params);
    const cat = await q(`INSERT INTO service_categories (tenant_id, name_zh) VALUES ($1, '中医推拿') RETURNING id`, [
      store.id,
    ]);
    const svc = await q(
      `INSERT INTO services (tenant_id, category_id, name_zh) VALUES ($1, $2, '全身推拿') RETURNING id`,
      [store.id, cat.rows[0]!.id],
    );
    const { customerId, addressId } = await seedCustomerWithAddress(ctx, store, '13800000000', CENTRE);
    const ids = await seedOnlineTechnicians(ctx, store, {
      count: TECHNICIANS,
      phonePrefix: '13600',
      perRow: 20,
      centre: CENTRE,
    });
    const tokens: string[] = [];
    for (const id of ids) {
      tokens.push(await ctx.app.accessToken({ id, role: 'technician', tenantId: store.id, kind: 'technician' }));
    }
    // Orders in `dispatching` and their open listings, pushed to every technician (offered_to).
    const { rows } = await q<{ id: string }>(
      `WITH slots AS (
         SELECT g, date_trunc('day', now()) + interval '1 day' + (g / ${PER_SLOT}) * interval '90 minutes' AS start_at
           FROM generate_series(0, ${SLOTS * PER_SLOT - 1}) g),
       q AS (
         INSERT INTO quotes (tenant_id, customer_id, service_id, service_name, duration_minutes, total_minutes,
                             address_id, start_at, end_at, distance_m, distance_origin, lines, subtotal_fen,
                             adjustments_fen, total_fen, expires_at)
         SELECT $1, $2, $3, '全身推拿', 60, 60, $4, start_at, start_at + interval '60 minutes', 0, 'none', '[]',
                19800, 0, 19800, now() + interval '15 minutes'
           FROM slots RETURNING id, start_at, end_at),
       o AS (
         INSERT INTO orders (tenant_id, order_no, customer_id, quote_id, status, payment_method, service_id,
                             service_name, duration_minutes, total_minutes, start_at, end_at, lines, subtotal_fen,
                             adjustments_fen, total_fen, paid_fen, paid_at, address_enc, address_kind, address_lat,
                             address_lng, contact_phone_masked, idempotency_key, request_hash)
         SELECT $1, 'GS' || substr(md5(q.id::text), 1, 16), $2, q.id, 'dispatching', 'sandbox', $3, '全身推拿', 60, 60,
                q.start_at, q.end_at, '[]', 19800, 0, 19800, 19800, now(), $5, 'home', $6, $7, '138****0000',
                md5(q.id::text), $5
           FROM q RETURNING id, start_at, end_at)
       INSERT INTO grab_listings (tenant_id, order_id, service_name, duration_minutes, start_at, end_at, lat, lng,
                                  area_lat, area_lng, price_fen, earning_fen, offered_to)
       SELECT $1, o.id, '全身推拿', 60, o.start_at, o.end_at, $6, $7, round($6::numeric, 2), round($7::numeric, 2),
              19800, 9900, (SELECT array_agg(id) FROM technicians WHERE tenant_id = $1)
         FROM o ORDER BY o.start_at, o.id
       RETURNING order_id AS id`,
      [store.id, customerId, svc.rows[0]!.id, addressId, randomBytes(48), CENTRE.lat, CENTRE.lng],
    );
    // Interleave slots so consecutive orders are in different slots (a technician's wins spread out).
    const orderIds: string[] = [];
    for (let k = 0; k < PER_SLOT; k++)
      for (let slot = 0; slot < SLOTS; slot++) orderIds.push(rows[slot * PER_SLOT + k]!.id);
    return { slug: store.slug, tokens, orderIds };
  },

  requests(s) {
    let n = 0;
    const spec: RequestSpec = {
      method: 'POST',
      path: `/t/${s.slug}/api/grab/orders/${s.orderIds[0]}/claim`,
      headers: { authorization: `Bearer ${s.tokens[0]}` },
      setupRequest: (req) => {
        const i = n++;
        const orderId = s.orderIds[Math.floor(i / CLAIMS_PER_ORDER) % s.orderIds.length];
        const token = s.tokens[(i * 7919) % s.tokens.length];
        return {
          ...req,
          path: `/t/${s.slug}/api/grab/orders/${orderId}/claim`,
          headers: { authorization: `Bearer ${token}` },
        };
      },
    };
    return [spec];
  },

  checkResponse(status, body) {
    const code = (body as { code?: string }).code;
    if (status === 200 && (body as { status?: string }).status === 'accepted') return;
    if (status === 409 && (code === 'ALREADY_TAKEN' || code === 'SLOT_TAKEN')) return;
    throw new Error(`expected 200 accepted or 409 ALREADY_TAKEN/SLOT_TAKEN, got ${status} ${code ?? ''}`);
  },

  async verify({ admin }, s) {
    // Claims still queued behind one in flight finish within the claim's wait (3 s); then one
    // statement, one snapshot.
    await new Promise((r) => setTimeout(r, 3_500));
    const { rows } = await admin.query<Record<'won' | 'mismatched' | 'twice' | 'holds' | 'overlaps', string>>(
      `SELECT
         (SELECT count(*) FROM grab_listings WHERE status = 'taken' AND order_id = ANY($1::uuid[])) AS won,
         (SELECT count(*) FROM orders o JOIN grab_listings l ON l.tenant_id = o.tenant_id AND l.order_id = o.id
           WHERE o.id = ANY($1::uuid[])
             AND ((l.status = 'taken') <> (o.status = 'accepted') OR o.technician_id IS DISTINCT FROM l.technician_id))
           AS mismatched,
         (SELECT count(*) FROM (SELECT order_id FROM order_events WHERE event = 'assign' AND order_id = ANY($1::uuid[])
                                 GROUP BY order_id HAVING count(*) > 1) x) AS twice,
         (SELECT count(*) FROM technician_busy WHERE active AND reference_id = ANY($1::uuid[])) AS holds,
         (SELECT count(*) FROM technician_busy x JOIN technician_busy y
             ON x.tenant_id = y.tenant_id AND x.technician_id = y.technician_id AND x.id < y.id AND x.during && y.during
          WHERE x.active AND y.active AND x.reference_id = ANY($1::uuid[])) AS overlaps`,
      [s.orderIds],
    );
    const [won, mismatched, twice, holds, overlaps] = (
      ['won', 'mismatched', 'twice', 'holds', 'overlaps'] as const
    ).map((k) => Number(rows[0]![k])) as [number, number, number, number, number];
    return [
      { name: 'some orders were won', ok: won > 0, detail: `${won} of ${s.orderIds.length} taken` },
      {
        name: 'exactly one winner per order (listing = order)',
        ok: mismatched === 0,
        detail: `${mismatched} mismatched`,
      },
      { name: 'no order assigned twice', ok: twice === 0, detail: `${twice} orders with two assign events` },
      { name: 'one busy hold per won order', ok: holds === won, detail: `${holds} holds for ${won} wins` },
      { name: 'no technician double-booked', ok: overlaps === 0, detail: `${overlaps} overlapping holds` },
    ];
  },
});
