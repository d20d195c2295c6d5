import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaymentProviderRegistry } from '../src/modules/payments/payment-provider.registry';
import { JobQueue } from '../src/platform/queue/job-queue';
import { Factory, type TestTenant } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { orderCustomer, orderStore, type OrderStore } from './support/order-fixtures';
import { bookOrder, signedSandboxCallback, storeCaller } from './support/payment-fixtures';

/** The repeatable BullMQ job, end to end: scheduled by the first async payment, run by the worker. */
describe('payments.reconcile job', () => {
  let db: TestDatabase;
  let t: TestApp;
  let f: Factory;
  let a: TestTenant;
  let store: OrderStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await createTestApp(db, {
      DB_POOL_MAX: '6',
      RUN_WORKERS: 'true',
      PAYMENT_RECONCILE_EVERY_MS: '1000',
      PAYMENT_RECONCILE_AFTER_MINUTES: '1',
    });
    f = await Factory.create(db, t.app);
    a = await f.newTenant();
    store = await orderStore(f, a);
  });
  afterAll(async () => {
    await f?.close();
    await t?.close();
    await db?.drop();
  });

  it('a payment whose callback was lost is settled by the store’s repeatable job through the provider query', async () => {
    const c = await orderCustomer(f, t.app, a);
    const order = await bookOrder(t.app, store, c);
    const res = await storeCaller(t.app)('POST', a, `orders/${order.id}/pay`, c.token, { method: 'sandbox' });
    expect(res.statusCode, res.body).toBe(200);
    const payment = res.json().payment as { id: string; outTradeNo: string; amountFen: number };
    const schedulers = await t.app.get(JobQueue).queue('payments').getJobSchedulers();
    expect(schedulers.map((s) => s.key)).toContain(`payments-reconcile-${a.id}`);

    // the customer paid at the gateway, the notification never arrived; the payment is 2 minutes old
    const merchantId = JSON.parse(
      signedSandboxCallback(t.app, a.id, { outTradeNo: 'x', amountFen: 1 }).body,
    ).merchantId;
    t.app.get(PaymentProviderRegistry).sandbox!.complete(
      {
        outTradeNo: payment.outTradeNo,
        status: 'succeeded',
        amountFen: payment.amountFen,
        currency: 'CNY',
        merchantId,
      },
      new Date(),
    );
    await f.query(`UPDATE payments SET created_at = now() - interval '2 minutes' WHERE id = $1`, [payment.id]);

    const deadline = Date.now() + 15_000;
    let status = 'pending';
    while (Date.now() < deadline && status !== 'succeeded') {
      await new Promise((r) => setTimeout(r, 250));
      status = (await f.query(`SELECT status FROM payments WHERE id = $1`, [payment.id])).rows[0]!.status;
    }
    expect(status).toBe('succeeded');
    expect((await f.query(`SELECT status FROM orders WHERE id = $1`, [order.id])).rows[0]!.status).toBe('dispatching');
    const log = await f.query(`SELECT source, outcome FROM payment_callbacks WHERE payment_id = $1`, [payment.id]);
    expect(log.rows).toContainEqual({ source: 'query', outcome: 'applied' });
    const tx = await f.query(`SELECT count(*)::int AS n FROM journal_transactions WHERE order_id = $1`, [order.id]);
    expect(tx.rows[0]!.n).toBe(1);
  });
});
