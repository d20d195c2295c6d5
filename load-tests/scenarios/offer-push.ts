import { randomBytes } from 'node:crypto';
import type { QueryResultRow } from 'pg';
import { defineScenario } from '../lib/scenario';
import { seedCustomerWithAddress, seedOnlineTechnicians, seedStore } from '../lib/seed-helpers';

interface State {
  slug: string;
  customerToken: string;
  technicianTokens: string[];
  orderIds: string[];
}

const TECHNICIANS = 100;
const ORDERS = 30;
const CENTRE = { lat: 31.2304, lng: 121.4737 };

/**
 * From payment confirmed to the grab offer on 100 technicians' SSE sockets: a customer pays an
 * order with the sandbox provider; the bench then presses the sandbox's Pay (signed callback →
 * order paid → dispatching → the dispatch job → grab mode → the grab hall pushes `grab.offer` to
 * each eligible technician's topic → Redis → SSE) and times the offer's arrival on each of the
 * 100 open streams. One order at a time; p95 over all (order, socket) arrivals.
 */
export default defineScenario<State>({
  name: 'offer-push',
  description: 'payment confirmed → grab.offer on 100 technician SSE streams (/api/events)',
  offeredRate: 1,
  targets: { p95_ms_max: 200, errors_max: 0 },
  apiEnv: { RUN_WORKERS: 'true', PAYMENT_SANDBOX_ENABLED: 'true' },

  async seed(ctx) {
    const store = await seedStore(ctx, 'bench-push', '压测门店推送');
    const q = <R extends QueryResultRow = { id: string }>(sql: string, params: unknown[]) =>
      ctx.admin.query<R>(sql, params);
    await q(
      `INSERT INTO store_profiles (tenant_id, lat, lng, area_center_lat, area_center_lng, area_radius_m)
       VALUES ($1, $2, $3, $2, $3, 30000)`,
      [store.id, CENTRE.lat, CENTRE.lng],
    );
    await q(`INSERT INTO dispatch_settings (tenant_id, mode) VALUES ($1, 'grab')`, [store.id]);
    const cat = await q(`INSERT INTO service_categories (tenant_id, name_zh) VALUES ($1, '中医推拿') RETURNING id`, [
      store.id,
    ]);
    const svc = await q(
      `INSERT INTO services (tenant_id, category_id, name_zh) VALUES ($1, $2, '全身推拿') RETURNING id`,
      [store.id, cat.rows[0]!.id],
    );
    const { customerId, addressId } = await seedCustomerWithAddress(ctx, store, '13800000001', CENTRE);
    const ids = await seedOnlineTechnicians(ctx, store, {
      count: TECHNICIANS,
      phonePrefix: '13500',
      perRow: 10,
      centre: CENTRE,
    });
    const technicianTokens: string[] = [];
    for (const id of ids) {
      await q(
        `INSERT INTO shift_templates (tenant_id, technician_id, weekday, start_time, end_time)
         SELECT $1::uuid, $2::uuid, d, time '00:00', time '23:59' FROM generate_series(1, 7) d`,
        [store.id, id],
      );
      technicianTokens.push(
        await ctx.app.accessToken({ id, role: 'technician', tenantId: store.id, kind: 'technician' }),
      );
    }
    // Orders waiting for payment, 10:00–20:00 Shanghai time on the next three days (inside every shift).
    const { rows } = await q(
      `WITH q AS (
         INSERT INTO quotes (tenant_id, customer_id, service_id, service_name, duration_minutes, total_minutes,
                             address_id, start_at, end_at, distance_m, distance_origin, lines, subtotal_fen,
                             adjustments_fen, total_fen, expires_at)
         SELECT $1, $2, $3, '全身推拿', 60, 60, $4,
                date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai'
                  + interval '1 day 10 hours' + (g % 10) * interval '1 hour' + (g / 10) * interval '1 day',
                date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai'
                  + interval '1 day 11 hours' + (g % 10) * interval '1 hour' + (g / 10) * interval '1 day',
                0, 'none', '[]', 19800, 0, 19800, now() + interval '1 hour'
           FROM generate_series(0, ${ORDERS - 1}) g RETURNING id, start_at, end_at)
       INSERT INTO orders (tenant_id, order_no, customer_id, quote_id, status, payment_method, service_id, service_name,
                           duration_minutes, total_minutes, start_at, end_at, lines, subtotal_fen, adjustments_fen,
                           total_fen, address_enc, address_kind, address_lat, address_lng, contact_phone_masked,
                           idempotency_key, request_hash, payment_due_at)
       SELECT $1, 'OP' || substr(md5(q.id::text), 1, 16), $2, q.id, 'pending_payment', 'sandbox', $3, '全身推拿', 60, 60,
              q.start_at, q.end_at, '[]', 19800, 0, 19800, $5, 'home', $6, $7, '138****0001', md5(q.id::text), $5,
              now() + interval '1 hour'
         FROM q ORDER BY q.start_at RETURNING id`,
      [store.id, customerId, svc.rows[0]!.id, addressId, randomBytes(48), CENTRE.lat, CENTRE.lng],
    );
    return {
      slug: store.slug,
      customerToken: await ctx.app.accessToken({
        id: customerId,
        role: 'customer',
        tenantId: store.id,
        kind: 'customer',
      }),
      technicianTokens,
      orderIds: rows.map((r) => r.id),
    };
  },

  requests: () => [],

  async drive(ctx, s) {
    const base = `${ctx.apiUrl}/t/${s.slug}`;
    const streams = await Promise.all(s.technicianTokens.map((t) => openOfferStream(`${base}/api/events`, t)));
    await new Promise((r) => setTimeout(r, 300)); // every subscription is live
    const samples: number[] = [];
    let errors = 0;
    const started = Date.now();
    try {
      for (const orderId of s.orderIds) {
        const pay = await fetch(`${base}/api/orders/${orderId}/pay`, {
          method: 'POST',
          headers: { authorization: `Bearer ${s.customerToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ method: 'sandbox' }),
        });
        const payment = ((await pay.json()) as { payment?: { outTradeNo?: string } }).payment;
        if (pay.status !== 200 || !payment?.outTradeNo) {
          errors++;
          continue;
        }
        const arrivals = streams.map((st) => st.waitFor(orderId, 5_000));
        const t0 = Date.now();
        const confirm = await fetch(`${base}/api/payments/sandbox/checkout/${payment.outTradeNo}/pay`, {
          method: 'POST',
        });
        if (confirm.status !== 200) errors++;
        for (const at of await Promise.all(arrivals)) {
          if (at === null) errors++;
          else samples.push(at - t0);
        }
      }
    } finally {
      streams.forEach((st) => st.close());
    }
    samples.sort((a, b) => a - b);
    const pct = (p: number) => samples[Math.min(samples.length - 1, Math.floor((p / 100) * samples.length))] ?? NaN;
    return {
      rps: Math.round((s.orderIds.length / ((Date.now() - started) / 1000)) * 100) / 100,
      p50_ms: pct(50),
      p95_ms: pct(95),
      p99_ms: pct(99),
      errors,
    };
  },

  async verify({ admin }, s) {
    const { rows } = await admin.query<{ n: string }>(
      `SELECT count(*) AS n FROM grab_listings WHERE order_id = ANY($1::uuid[]) AND cardinality(offered_to) = $2`,
      [s.orderIds, TECHNICIANS],
    );
    const listed = Number(rows[0]!.n);
    return [
      {
        name: `every paid order reached the grab hall with all ${TECHNICIANS} technicians`,
        ok: listed === s.orderIds.length,
        detail: `${listed} of ${s.orderIds.length}`,
      },
    ];
  },
});

/** One technician's SSE stream; `waitFor` resolves with the arrival time of that order's grab.offer. */
async function openOfferStream(url: string, token: string) {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
  if (res.status !== 200 || !res.body) throw new Error(`SSE ${url} answered ${res.status}`);
  const arrived = new Map<string, number>();
  const waiters = new Map<string, (at: number) => void>();
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        const now = Date.now();
        buffer += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          if (!/^event: grab\.offer$/m.test(block)) continue;
          const orderId = (JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? '{}') as { orderId?: string }).orderId;
          if (!orderId) continue;
          arrived.set(orderId, now);
          waiters.get(orderId)?.(now);
        }
      }
    } catch {
      /* closed */
    }
  })();
  return {
    waitFor(orderId: string, timeoutMs: number): Promise<number | null> {
      const seen = arrived.get(orderId);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(null), timeoutMs);
        waiters.set(orderId, (at) => {
          clearTimeout(timer);
          resolve(at);
        });
      });
    },
    close: () => controller.abort(),
  };
}
