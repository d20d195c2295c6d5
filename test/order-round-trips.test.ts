import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Factory, type TestTenant } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';
import { StatementRecorder } from './support/statement-recorder';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { orderCustomer, orderStore, orderTechnician, tomorrowAt, type OrderStore } from './support/order-fixtures';

/**
 * Round trips to PostgreSQL (every `pg` Client.query, Prisma's adapter included: BEGIN, set_config,
 * COMMIT count too) for the money path the `order-create` bench drives: quote → book a chosen
 * technician with its sandbox payment → checkout confirmation; and for booking and paying in two
 * requests. Pins a budget per step so a change that adds
 * statements to the hot path fails here instead of only in the bench.
 */
const BUDGET = { quote: 3, bookAndPay: 6, confirm: 7, order: 4, pay: 5 } as const;

describe('order money path: SQL round trips', () => {
  let db: TestDatabase;
  let t: TestApp;
  let f: Factory;
  let a: TestTenant;
  let store: OrderStore;
  const recorder = new StatementRecorder();

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await createTestApp(db, { DB_POOL_MAX: '4', RUN_WORKERS: 'false' });
    f = await Factory.create(db, t.app);
    a = await f.newTenant();
    store = await orderStore(f, a);
    // Counts only while a step is measured; the factory's own pool is idle then.
    recorder.install();
  });
  afterAll(async () => {
    recorder.restore();
    await f?.close();
    await t?.close();
    await db?.drop();
  });

  const measured = <T>(work: () => Promise<T>) => recorder.measure(work);

  const call = (path: string, token: string | undefined, payload: object | undefined, headers = {}) =>
    t.app.inject({
      method: 'POST',
      url: `/t/${a.slug}/api/${path}`,
      headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(payload ? { payload } : {}),
    });

  it('quote, booking (with or without its payment), pay and sandbox confirmation stay within their round-trip budgets', async () => {
    const c = await orderCustomer(f, t.app, a);
    const technicianId = await orderTechnician(f, a);
    const quote = (hour: number) =>
      measured(() =>
        call('quotes', c.token, {
          serviceId: store.serviceId,
          durationMinutes: 60,
          addons: [],
          addressId: c.addressId,
          technicianId,
          startAt: tomorrowAt(hour),
        }),
      );
    const book = (quoteId: string, pay: boolean) =>
      measured(() =>
        call(
          'orders',
          c.token,
          { quoteId, paymentMethod: 'sandbox', ...(pay ? { pay: {} } : {}) },
          { 'idempotency-key': randomUUID() },
        ),
      );
    // The bench's path: quote → book with the sandbox payment (下单即支付) → checkout confirmation;
    // and the two-step path of a customer who pays later: book, then POST /orders/{id}/pay.
    const flow = async (hour: number) => {
      const q1 = await quote(hour);
      expect(q1.value.statusCode, q1.value.body).toBe(201);
      const booked = await book(q1.value.json<{ id: string }>().id, true);
      expect(booked.value.statusCode, booked.value.body).toBe(201);
      const { id: orderId, checkout } = booked.value.json<{
        id: string;
        checkout: { payment: { outTradeNo: string } };
      }>();
      const confirm = await measured(() =>
        call(`payments/sandbox/checkout/${checkout.payment.outTradeNo}/pay`, undefined, undefined),
      );
      expect(confirm.value.statusCode, confirm.value.body).toBe(200);
      const row = await f.query<{ status: string }>(`SELECT status FROM orders WHERE id = $1`, [orderId]);
      expect(row.rows[0]!.status).toBe('assigned');

      const q2 = await quote(hour + 2);
      const order = await book(q2.value.json<{ id: string }>().id, false);
      expect(order.value.statusCode, order.value.body).toBe(201);
      const later = order.value.json<{ id: string }>().id;
      const pay = await measured(() => call(`orders/${later}/pay`, c.token, { method: 'sandbox' }));
      expect(pay.value.statusCode, pay.value.body).toBe(200);
      return { quote: q1.sql, bookAndPay: booked.sql, confirm: confirm.sql, order: order.sql, pay: pay.sql };
    };
    await flow(2);
    const counts = await flow(6);
    const summary = Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v.length]));
    if (process.env.ROUND_TRIPS_VERBOSE) process.stdout.write(`${JSON.stringify(counts, null, 1)}\n`);
    const total = Object.values(summary).reduce((x, y) => x + y, 0);
    process.stdout.write(`round trips per step ${JSON.stringify(summary)}, total ${total}\n`);
    // the confirmation's two transitions (paid, assigned) write their notices as one batch
    expect(counts.confirm.filter((q) => q.startsWith('INSERT INTO notifications'))).toHaveLength(1);
    for (const step of Object.keys(BUDGET) as Array<keyof typeof BUDGET>) {
      expect(counts[step].length, `${step}: ${counts[step].join(' | ')}`).toBeLessThanOrEqual(BUDGET[step]);
      // each step is one plain-pg unit of work (BEGIN, the tenant setting and the first statement in
      // one round trip), not a Prisma transaction, and the confirmation did not have to start over in one
      expect(counts[step][0], step).toMatch(/^BEGIN; SELECT set_config\('app\.tenant_id'.* ⇢ /s);
      expect(
        counts[step].filter((q) => q.startsWith('BEGIN')),
        step,
      ).toHaveLength(1);
      expect(counts[step], step).not.toContain('ROLLBACK');
    }
  });
});
