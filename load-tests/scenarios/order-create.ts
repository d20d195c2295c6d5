import { createCipheriv, createHash, randomBytes, randomUUID } from 'node:crypto';
import type { RequestSpec } from 'autocannon';
import type { FastifyReply } from 'fastify';
import { DateTime } from 'luxon';
import type pg from 'pg';
import { defineScenario, type CheckResult } from '../lib/scenario';
import { seedStore } from '../lib/seed-helpers';

interface State {
  slug: string;
  storeId: string;
  serviceId: string;
  technicians: string[];
  customers: { id: string; token: string; addressId: string }[];
  /** first bookable start (ISO); flow n books technician n % T at base + ⌊n / T⌋ × 90 min */
  base: string;
}

const ZONE = 'Asia/Shanghai';
const TECHNICIANS = 300;
const CUSTOMERS = 200;
const CENTRE = { lat: 31.2304, lng: 121.4737 };
const PRICE_FEN = 19800;
const STEP_MIN = 90;

/**
 * The money path: a customer quotes (server-priced), books a chosen technician and starts a
 * sandbox payment in the same request (下单即支付: busy time held under the no-overlap constraint,
 * gap-free order number, timers, the pending payment), and confirms it on the sandbox checkout
 * page, whose signed notification goes through the real callback path (verify, lock the payment,
 * ledger transaction, order → assigned). Three requests per order: 100 orders/s = 300 requests/s
 * offered. Every flow books its own technician slot, so
 * a 409 would be a bug, not a lost race. The baseline does the same inserts with bare `pg`, one
 * transaction per request. After the run the bench checks that no technician is double-booked and
 * that the ledger balances (per transaction, overall, and paid = ledger net for every order).
 */
let flow = 0;

export default defineScenario<State>({
  name: 'order-create',
  description:
    'customer: quote → order + sandbox payment (chosen technician) → checkout confirmation (3 requests per order)',
  offeredRate: 300,
  targets: { ratio_min: 0.3, p99_ms_max: 60, errors_max: 0, rss_mb_max: 400 },
  apiEnv: { PAYMENT_SANDBOX_ENABLED: 'true' },

  async seed(ctx) {
    const store = await seedStore(ctx, 'bench-order', '压测下单门店');
    const q = <R extends pg.QueryResultRow = { id: string }>(sql: string, params: unknown[]) =>
      ctx.admin.query<R>(sql, params);
    await q(
      `INSERT INTO store_profiles (tenant_id, lat, lng, area_center_lat, area_center_lng, area_radius_m)
       VALUES ($1, $2, $3, $2, $3, 30000)`,
      [store.id, CENTRE.lat, CENTRE.lng],
    );
    await q(`INSERT INTO booking_settings (tenant_id, max_days_ahead) VALUES ($1, 60)`, [store.id]);
    const cat = await q(`INSERT INTO service_categories (tenant_id, name_zh) VALUES ($1, '中医推拿') RETURNING id`, [
      store.id,
    ]);
    const svc = await q(
      `INSERT INTO services (tenant_id, category_id, name_zh) VALUES ($1, $2, '全身推拿') RETURNING id`,
      [store.id, cat.rows[0]!.id],
    );
    const serviceId = svc.rows[0]!.id;
    await q(`INSERT INTO service_durations (tenant_id, service_id, minutes, price_fen) VALUES ($1, $2, 60, $3)`, [
      store.id,
      serviceId,
      PRICE_FEN,
    ]);
    const technicians: string[] = [];
    for (let i = 0; i < TECHNICIANS; i++) {
      const phone = `13600${String(i).padStart(6, '0')}`;
      const t = await q(
        `INSERT INTO technicians (tenant_id, phone_enc, phone_hash, phone_masked, name, display_name, status,
                                  home_lat, home_lng)
         VALUES ($1, $2, $3, $4, $5, $5, 'approved', $6, $7) RETURNING id`,
        [
          store.id,
          ctx.app.cipher.encrypt(phone, `${store.id}:technicians.phone`),
          ctx.app.hasher.hash('phone', phone),
          ctx.app.maskPhone(phone),
          `技师${i + 1}`,
          CENTRE.lat,
          CENTRE.lng,
        ],
      );
      technicians.push(t.rows[0]!.id);
    }
    const customers: State['customers'] = [];
    for (let i = 0; i < CUSTOMERS; i++) {
      const phone = `13500${String(i).padStart(6, '0')}`;
      const c = await q(
        `INSERT INTO customers (tenant_id, phone_enc, phone_hash, phone_masked) VALUES ($1, $2, $3, $4) RETURNING id`,
        [
          store.id,
          ctx.app.cipher.encrypt(phone, `${store.id}:customers.phone`),
          ctx.app.hasher.hash('phone', phone),
          ctx.app.maskPhone(phone),
        ],
      );
      const id = c.rows[0]!.id;
      const a = await q(
        `INSERT INTO customer_addresses (tenant_id, customer_id, contact_name, phone_enc, phone_hash, phone_masked,
                                         lat, lng, address_text, house_number, kind, is_default)
         VALUES ($1, $2, '王女士', $3, $4, $5, $6, $7, '上海市黄浦区人民大道', '1号101室', 'home', true) RETURNING id`,
        [
          store.id,
          id,
          ctx.app.cipher.encrypt(phone, `${store.id}:customer_addresses.phone`),
          ctx.app.hasher.hash('phone', phone),
          ctx.app.maskPhone(phone),
          CENTRE.lat,
          CENTRE.lng,
        ],
      );
      const token = await ctx.app.accessToken({ id, role: 'customer', tenantId: store.id, kind: 'customer' });
      customers.push({ id, token, addressId: a.rows[0]!.id });
    }
    // The day after tomorrow: starting tomorrow at 00:00 fell inside the store's lead time when the
    // bench ran late in the evening (Shanghai time) and every quote was START_TOO_SOON.
    const base = DateTime.now().setZone(ZONE).plus({ days: 2 }).startOf('day').toUTC().toISO()!;
    return { slug: store.slug, storeId: store.id, serviceId, technicians, customers, base };
  },

  requests(s) {
    /** One connection's flow in progress (autocannon keeps a context per connection). */
    type Ctx = Record<string, unknown> & { n?: number; quoteId?: string; outTradeNo?: string };
    const json = (token: string, extra: Record<string, string> = {}) => ({
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      ...extra,
    });
    const customerOf = (n: number) => s.customers[n % s.customers.length]!;
    const parse = (body: string): Record<string, unknown> => {
      try {
        return JSON.parse(body) as Record<string, unknown>;
      } catch {
        return {};
      }
    };
    return [
      {
        method: 'POST',
        path: `/t/${s.slug}/api/quotes`,
        setupRequest: (req, context: Ctx) => {
          const n = flow++;
          context.n = n;
          const c = customerOf(n);
          const startAt = new Date(
            new Date(s.base).getTime() + Math.floor(n / s.technicians.length) * STEP_MIN * 60_000,
          );
          return {
            ...req,
            headers: json(c.token),
            body: JSON.stringify({
              serviceId: s.serviceId,
              durationMinutes: 60,
              addons: [],
              addressId: c.addressId,
              technicianId: s.technicians[n % s.technicians.length],
              startAt: startAt.toISOString(),
            }),
          };
        },
        onResponse: (_status, body, context: Ctx) => {
          context.quoteId = parse(body)['id'] as string;
        },
      },
      {
        method: 'POST',
        path: `/t/${s.slug}/api/orders`,
        setupRequest: (req, context: Ctx) => ({
          ...req,
          headers: json(customerOf(context.n ?? 0).token, {
            'idempotency-key': `bench-order-${context.n}-${process.pid}`,
          }),
          body: JSON.stringify({ quoteId: context.quoteId, paymentMethod: 'sandbox', pay: {} }),
        }),
        onResponse: (_status, body, context: Ctx) => {
          const checkout = parse(body)['checkout'] as { payment?: { outTradeNo?: string } } | undefined;
          context.outTradeNo = checkout?.payment?.outTradeNo;
        },
      },
      {
        method: 'POST',
        setupRequest: (req, context: Ctx) => ({
          ...req,
          path: `/t/${s.slug}/api/payments/sandbox/checkout/${context.outTradeNo}/pay`,
        }),
      },
    ] satisfies RequestSpec[];
  },

  checkResponse(status, body) {
    if (status !== 201) throw new Error(`expected 201 for the quote, got ${status}`);
    if (typeof (body as { id?: unknown }).id !== 'string') throw new Error('the quote has no id');
  },

  baseline: {
    register(app, kit, s) {
      type P = { slug: string; id?: string; outTradeNo?: string };
      const tenantOf = async (slug: string, reply: FastifyReply) => {
        const tenantId = await kit.tenantIdBySlug(slug);
        if (!tenantId) void reply.code(404).send({ code: 'STORE_NOT_FOUND' });
        return tenantId;
      };
      const key = createHash('sha256').update(s.storeId).digest();
      const seal = (plain: string) => {
        const iv = randomBytes(12);
        const c = createCipheriv('aes-256-gcm', key, iv);
        const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
        return Buffer.concat([Buffer.from([1]), iv, c.getAuthTag(), body]);
      };

      app.post<{ Params: P; Body: Record<string, string> }>('/t/:slug/api/quotes', async (req, reply) => {
        const claims = await kit.authenticate(req, reply);
        if (!claims) return reply;
        const tenantId = await tenantOf(req.params.slug, reply);
        if (!tenantId) return reply;
        const b = req.body;
        const id = await kit.inTenant(tenantId, async (db) => {
          await db.query(
            'SELECT lat, lng FROM customer_addresses WHERE id = $1 AND customer_id = $2 AND deleted_at IS NULL',
            [b['addressId'], claims.sub],
          );
          await db.query('SELECT id, name_zh FROM services WHERE id = $1 AND active', [b['serviceId']]);
          await db.query('SELECT status, home_lat, home_lng FROM technicians WHERE id = $1', [b['technicianId']]);
          const start = new Date(b['startAt']!);
          const lines = JSON.stringify([{ kind: 'service', name: '全身推拿', amountFen: PRICE_FEN }]);
          const { rows } = await db.query<{ id: string }>(
            `INSERT INTO quotes (tenant_id, customer_id, service_id, service_name, duration_minutes, total_minutes,
                                 addons, address_id, technician_id, start_at, end_at, distance_m, distance_origin,
                                 lines, subtotal_fen, adjustments_fen, total_fen, expires_at)
             VALUES ($1, $2, $3, '全身推拿', 60, 60, '[]', $4, $5, $6, $7, 0, 'technician_home', $8, $9, 0, $9,
                     now() + interval '15 minutes') RETURNING id`,
            [
              tenantId,
              claims.sub,
              b['serviceId'],
              b['addressId'],
              b['technicianId'],
              start,
              new Date(start.getTime() + 3600_000),
              lines,
              PRICE_FEN,
            ],
          );
          return rows[0]!.id;
        });
        return reply.code(201).send({ id, totalFen: PRICE_FEN });
      });

      app.post<{ Params: P; Body: Record<string, string> }>('/t/:slug/api/orders', async (req, reply) => {
        const claims = await kit.authenticate(req, reply);
        if (!claims) return reply;
        const tenantId = await tenantOf(req.params.slug, reply);
        if (!tenantId) return reply;
        const idem = String(req.headers['idempotency-key']);
        const booked = await kit.inTenant(tenantId, async (db) => {
          await db.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`${claims.sub}:${idem}`]);
          await db.query('SELECT id FROM orders WHERE customer_id = $1 AND idempotency_key = $2', [claims.sub, idem]);
          const quote = (
            await db.query<{ start_at: Date; end_at: Date; technician_id: string; address_id: string }>(
              'SELECT * FROM quotes WHERE id = $1 AND customer_id = $2',
              [req.body['quoteId'], claims.sub],
            )
          ).rows[0]!;
          await db.query('SELECT id FROM orders WHERE quote_id = $1', [req.body['quoteId']]);
          await db.query('SELECT * FROM customer_addresses WHERE id = $1', [quote.address_id]);
          const orderId = randomUUID();
          await db.query(
            `INSERT INTO technician_busy (tenant_id, technician_id, during, kind, reference_id, location_lat, location_lng)
             VALUES ($1, $2, tstzrange($3, $4, '[)'), 'booking', $5, $6, $7)`,
            [tenantId, quote.technician_id, quote.start_at, quote.end_at, orderId, CENTRE.lat, CENTRE.lng],
          );
          const seq = (
            await db.query<{ last_seq: number }>(
              `INSERT INTO order_number_counters (tenant_id, local_date, last_seq) VALUES ($1, current_date, 1)
               ON CONFLICT (tenant_id, local_date) DO UPDATE SET last_seq = order_number_counters.last_seq + 1
               RETURNING last_seq`,
              [tenantId],
            )
          ).rows[0]!.last_seq;
          await db.query(
            `INSERT INTO orders (tenant_id, id, order_no, customer_id, quote_id, payment_method, service_id, service_name,
                                 duration_minutes, total_minutes, technician_id, start_at, end_at, lines, subtotal_fen,
                                 adjustments_fen, total_fen, address_enc, address_kind, address_lat, address_lng,
                                 contact_phone_masked, idempotency_key, request_hash, payment_due_at)
             SELECT $1, $2, $3, customer_id, id, 'sandbox', service_id, service_name, duration_minutes, total_minutes,
                    technician_id, start_at, end_at, lines, subtotal_fen, adjustments_fen, total_fen, $4, 'home',
                    $5, $6, '135****0000', $7, $8, now() + interval '15 minutes'
               FROM quotes WHERE id = $9`,
            [
              tenantId,
              orderId,
              `BO${String(seq).padStart(8, '0')}`,
              seal('{"contactName":"王女士"}'),
              CENTRE.lat,
              CENTRE.lng,
              idem,
              createHash('sha256').update(req.body['quoteId']!).digest(),
              req.body['quoteId'],
            ],
          );
          await db.query(
            `INSERT INTO order_events (tenant_id, order_id, event, from_status, to_status, actor_type, actor_id)
             VALUES ($1, $2, 'place', 'new', 'pending_payment', 'customer', $3)`,
            [tenantId, orderId, claims.sub],
          );
          // the sandbox payment, in the same transaction (下单即支付)
          await db.query('SELECT sandbox_enabled FROM payment_settings WHERE tenant_id = $1', [tenantId]);
          const paymentId = randomUUID();
          const outTradeNo = `P${paymentId.replaceAll('-', '').slice(0, 31)}`;
          await db.query(
            `INSERT INTO payments (tenant_id, id, order_id, kind, provider, channel, out_trade_no, amount_fen, merchant_id,
                                   customer_id)
             VALUES ($1, $2, $3, 'charge', 'sandbox', 'h5', $4, $5, 'SBX', $6)`,
            [tenantId, paymentId, orderId, outTradeNo, PRICE_FEN, claims.sub],
          );
          return { orderId, paymentId, outTradeNo };
        });
        return reply.code(201).send({
          id: booked.orderId,
          status: 'pending_payment',
          checkout: {
            payment: { id: booked.paymentId, outTradeNo: booked.outTradeNo },
            next: { kind: 'redirect', url: `/sandbox/${booked.outTradeNo}` },
          },
        });
      });

      app.post<{ Params: P }>('/t/:slug/api/payments/sandbox/checkout/:outTradeNo/pay', async (req, reply) => {
        const tenantId = await tenantOf(req.params.slug, reply);
        if (!tenantId) return reply;
        await kit.inTenant(tenantId, async (db) => {
          const p = (
            await db.query<{ id: string; order_id: string; amount_fen: number }>(
              'SELECT id, order_id, amount_fen FROM payments WHERE out_trade_no = $1 FOR UPDATE',
              [req.params.outTradeNo],
            )
          ).rows[0]!;
          await db.query(
            `INSERT INTO payment_callbacks (tenant_id, provider, source, payment_id, out_trade_no, outcome, body_sha256)
             VALUES ($1, 'sandbox', 'callback', $2, $3, 'applied', $4)`,
            [tenantId, p.id, req.params.outTradeNo, createHash('sha256').update(p.id).digest('hex')],
          );
          await db.query(
            `UPDATE payments SET status = 'succeeded', callback_count = callback_count + 1, paid_at = now(),
                    provider_trade_no = $2 WHERE id = $1`,
            [p.id, `SBX${randomBytes(10).toString('hex')}`],
          );
          await db.query('SELECT status FROM orders WHERE id = $1 FOR UPDATE', [p.order_id]);
          const tx = randomUUID();
          await db.query(
            `INSERT INTO journal_transactions (tenant_id, id, kind, order_id, reference, memo)
             VALUES ($1, $2, 'payment', $3, $4, 'payment')`,
            [tenantId, tx, p.order_id, p.id],
          );
          await db.query(
            `INSERT INTO journal_entries (tenant_id, transaction_id, line_no, account, amount_fen)
             VALUES ($1, $2, 1, 'clearing:sandbox', $3), ($1, $2, 2, $4, $5)`,
            [tenantId, tx, p.amount_fen, `order_liability:${p.order_id}`, -p.amount_fen],
          );
          await db.query(
            `UPDATE orders SET status = 'assigned', paid_fen = $2, payment_id = $3, paid_at = now(), payment_due_at = NULL
              WHERE id = $1`,
            [p.order_id, p.amount_fen, p.id],
          );
          await db.query(
            `INSERT INTO order_events (tenant_id, order_id, event, from_status, to_status, actor_type)
             VALUES ($1, $2, 'pay', 'pending_payment', 'paid', 'system'), ($1, $2, 'assign', 'paid', 'assigned', 'system')`,
            [tenantId, p.order_id],
          );
        });
        return reply.send({ code: 'SUCCESS' });
      });
    },
  },

  async verify(ctx, s) {
    const one = async (sql: string) => Number((await ctx.admin.query<{ n: string }>(sql, [s.storeId])).rows[0]!.n);
    const doubleBooked = await one(
      `SELECT count(*) AS n FROM technician_busy a JOIN technician_busy b
         ON a.tenant_id = b.tenant_id AND a.technician_id = b.technician_id AND a.id < b.id
        AND a.active AND b.active AND a.during && b.during
        WHERE a.tenant_id = $1`,
    );
    const unbalanced = await one(
      `SELECT count(*) AS n FROM (SELECT transaction_id FROM journal_entries WHERE tenant_id = $1
         GROUP BY transaction_id HAVING sum(amount_fen) <> 0 OR count(*) < 2) u`,
    );
    const total = await one(`SELECT coalesce(sum(amount_fen), 0) AS n FROM journal_entries WHERE tenant_id = $1`);
    const paidMismatch = await one(
      `SELECT count(*) AS n FROM orders o
        WHERE o.tenant_id = $1 AND o.paid_fen - o.refunded_fen <> coalesce((
          SELECT sum(e.amount_fen) FROM journal_entries e JOIN journal_transactions t
              ON t.tenant_id = e.tenant_id AND t.id = e.transaction_id
           WHERE t.order_id = o.id AND t.kind IN ('payment', 'cash_collection', 'refund')
             AND (e.account LIKE 'clearing:%' OR e.account LIKE 'customer_wallet:%' OR e.account LIKE 'cash_on_hand:%')), 0)`,
    );
    const paid = await one(`SELECT count(*) AS n FROM orders WHERE tenant_id = $1 AND paid_fen > 0`);
    const checks: CheckResult[] = [
      { name: 'no technician double-booked', ok: doubleBooked === 0, detail: `${doubleBooked} overlapping pairs` },
      { name: 'every journal transaction balances', ok: unbalanced === 0, detail: `${unbalanced} unbalanced` },
      { name: 'the journal sums to zero', ok: total === 0, detail: `sum ${total} fen` },
      {
        name: 'paid − refunded = ledger net for every order',
        ok: paidMismatch === 0,
        detail: `${paidMismatch} of ${paid} paid orders differ`,
      },
      { name: 'orders were paid', ok: paid > 0, detail: `${paid} paid orders` },
    ];
    return checks;
  },
});
