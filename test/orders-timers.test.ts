import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TenantContext } from '../src/platform/database/tenant-context';
import { JobQueue } from '../src/platform/queue/job-queue';
import { OrdersPaymentPort } from '../src/modules/orders/orders-payment.port';
import { OrderTransitions } from '../src/modules/orders/order-transitions.service';
import { SYSTEM } from '../src/modules/orders/order-actor';
import { ORDER_TIMERS_QUEUE } from '../src/modules/orders/order-timers';
import { Factory, type TestTenant } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { orderCustomer, orderStore, orderTechnician, tomorrowAt, type OrderStore } from './support/order-fixtures';

/** Polls until `check` holds (or fails after `ms`). */
async function eventually(check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** One set of keys for every app of this file, so tokens and sealed phones work across restarts. */
const SECRETS = {
  JWT_SECRET: randomBytes(32).toString('hex'),
  DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  LOOKUP_HASH_KEY: randomBytes(32).toString('base64'),
};

describe('order timers on BullMQ', () => {
  let db: TestDatabase;
  let t: TestApp;
  let f: Factory;
  let a: TestTenant;
  let store: OrderStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await createTestApp(db, { ...SECRETS, RUN_WORKERS: 'true' });
    f = await Factory.create(db, t.app);
    a = await f.newTenant();
    store = await orderStore(f, a);
    await f.newStaff(a, { role: 'store_manager' }); // receives overrun alerts
  });
  afterAll(async () => {
    await f?.close();
    await t?.close();
    await db?.drop();
  });

  async function placeOrder(app: TestApp, technician: boolean, hourUtc: number) {
    const c = await orderCustomer(f, app.app, a);
    const technicianId = technician ? await orderTechnician(f, a) : undefined;
    const inject = (method: 'POST', path: string, payload: object, headers: Record<string, string> = {}) =>
      app.app.inject({
        method,
        url: `/t/${a.slug}/api/${path}`,
        headers: { authorization: `Bearer ${c.token}`, ...headers },
        payload,
      });
    const q = await inject('POST', 'quotes', {
      serviceId: store.serviceId,
      durationMinutes: 60,
      addressId: c.addressId,
      startAt: tomorrowAt(hourUtc),
      ...(technicianId ? { technicianId } : {}),
    });
    expect(q.statusCode, q.body).toBe(201);
    const o = await inject(
      'POST',
      'orders',
      { quoteId: q.json().id, paymentMethod: 'sandbox' },
      { 'idempotency-key': randomUUID() },
    );
    expect(o.statusCode, o.body).toBe(201);
    return {
      order: o.json<{ id: string; paymentDueAt: string }>(),
      technicianId,
      total: q.json<{ totalFen: number }>().totalFen,
    };
  }

  const queueOf = () => t.app.get(JobQueue).queue(ORDER_TIMERS_QUEUE);

  const unpaidJobId = (o: { id: string; paymentDueAt: string }) =>
    `order-unpaid-${o.id}-${new Date(o.paymentDueAt).getTime()}`;

  const events = async (orderId: string) =>
    (await f.query(`SELECT event, to_status FROM order_events WHERE order_id = $1 ORDER BY created_at`, [orderId]))
      .rows;

  it('schedules the unpaid timeout as a delayed job with a deterministic id', async () => {
    const { order } = await placeOrder(t, false, 3);
    const job = await t.app.get(JobQueue).queue(ORDER_TIMERS_QUEUE).getJob(unpaidJobId(order));
    expect(job).toBeDefined();
    expect(await job!.getState()).toBe('delayed');
    expect(job!.data).toEqual({ tenantId: a.id, orderId: order.id });
  });

  it('worker killed mid-timer, new app on the same Redis prefix: the unpaid order is cancelled exactly once', async () => {
    const first = await createTestApp(db, {
      ...SECRETS,
      RUN_WORKERS: 'true',
      REDIS_PREFIX: `ord-${randomUUID().slice(0, 8)}`,
    });
    const { order, technicianId } = await placeOrder(first, true, 4);
    await first.close(); // the worker dies with the timer still pending in Redis

    // The deadline passes while no worker runs.
    await f.query(`UPDATE orders SET payment_due_at = now() - interval '1 second' WHERE id = $1`, [order.id]);
    const second = await createTestApp(db, {
      ...SECRETS,
      RUN_WORKERS: 'true',
      REDIS_PREFIX: first.config.REDIS_PREFIX,
    });
    try {
      const queue = second.app.get(JobQueue).queue(ORDER_TIMERS_QUEUE);
      const job = await queue.getJob(unpaidJobId(order));
      expect(await job!.getState()).toBe('delayed'); // survived the restart
      // Fire it now, and deliver a duplicate as a crashed-and-retried producer would.
      await job!.promote();
      await second.app
        .get(JobQueue)
        .enqueue('order.unpaid_timeout', { tenantId: a.id, orderId: order.id }, { jobId: 'dup-1' });
      await eventually(
        async () => (await queue.getJob('dup-1'))?.finishedOn !== undefined && (await job!.getState()) === 'completed',
      );
      const rows = await events(order.id);
      expect(rows.filter((r) => r.to_status === 'cancelled')).toHaveLength(1);
      const o = await f.query(`SELECT status, cancel_reason FROM orders WHERE id = $1`, [order.id]);
      expect(o.rows[0]).toEqual({ status: 'cancelled', cancel_reason: 'unpaid_timeout' });
      const busy = await f.query(`SELECT count(*)::int AS n FROM technician_busy WHERE technician_id = $1 AND active`, [
        technicianId,
      ]);
      expect(busy.rows[0]!.n).toBe(0);
    } finally {
      await second.close();
    }
  });

  it('a timer for an order that was paid meanwhile does nothing', async () => {
    const { order, total } = await placeOrder(t, false, 6);
    await t.app
      .get(TenantContext)
      .run(a.id, () => t.app.get(OrdersPaymentPort).markPaid(order.id, { paymentId: 'pay-x', amountFen: total }));
    await f.query(`UPDATE orders SET payment_due_at = now() - interval '1 second' WHERE id = $1`, [order.id]);
    const job = await t.app.get(JobQueue).queue(ORDER_TIMERS_QUEUE).getJob(unpaidJobId(order));
    await job!.promote();
    await eventually(async () => (await job!.getState()) === 'completed');
    expect((await queueOf().getJob(job!.id!))!.returnvalue).toBe('moved-on');
    expect((await events(order.id)).map((r) => r.to_status)).toEqual(['pending_payment', 'paid', 'dispatching']);
  });

  it('a timer that fires before a pushed-back deadline reschedules instead of cancelling', async () => {
    const { order } = await placeOrder(t, false, 8);
    const job = await t.app.get(JobQueue).queue(ORDER_TIMERS_QUEUE).getJob(unpaidJobId(order));
    await job!.promote();
    await eventually(async () => (await job!.getState()) === 'completed');
    expect((await queueOf().getJob(job!.id!))!.returnvalue).toBe('rescheduled');
    const o = await f.query(`SELECT status FROM orders WHERE id = $1`, [order.id]);
    expect(o.rows[0]!.status).toBe('pending_payment');
  });

  it('reminds the customer and the assigned technician before the start (notification + audit)', async () => {
    const { order, total, technicianId } = await placeOrder(t, true, 12);
    await t.app
      .get(TenantContext)
      .run(a.id, () => t.app.get(OrdersPaymentPort).markPaid(order.id, { paymentId: 'pay-r', amountFen: total }));
    const startAt = (await f.query(`SELECT start_at FROM orders WHERE id = $1`, [order.id])).rows[0]!.start_at as Date;
    const job = await queueOf().getJob(`order-reminder-${order.id}-${startAt.getTime() - 60 * 60_000}`);
    expect(await job!.getState()).toBe('delayed');
    await job!.promote();
    await eventually(async () => (await job!.getState()) === 'completed');
    const sent = await f.query(
      `SELECT recipient_type, recipient_id FROM notifications WHERE order_id = $1 AND template = 'order.start_reminder'
        ORDER BY recipient_type`,
      [order.id],
    );
    expect(sent.rows.map((r) => r.recipient_type)).toEqual(['customer', 'technician']);
    expect(sent.rows[1]!.recipient_id).toBe(technicianId);
  });

  it('alerts the store (audit) once a service has overrun its end + grace', async () => {
    const { order, total } = await placeOrder(t, true, 10);
    const ctx = t.app.get(TenantContext);
    await ctx.run(a.id, () =>
      t.app.get(OrdersPaymentPort).markPaid(order.id, { paymentId: 'pay-y', amountFen: total }),
    );
    for (const ev of ['accept', 'depart', 'arrive'] as const) {
      await ctx.run(a.id, () => t.app.get(OrderTransitions).apply(order.id, ev, SYSTEM));
    }
    // The service started long ago and should have ended 20 minutes ago (grace 15).
    await f.query(
      `UPDATE orders SET start_at = now() - interval '80 minutes', end_at = now() - interval '20 minutes' WHERE id = $1`,
      [order.id],
    );
    await ctx.run(a.id, () => t.app.get(OrderTransitions).apply(order.id, 'start_service', SYSTEM));
    await eventually(async () => {
      const r = await f.query(
        `SELECT count(*)::int AS n FROM audit_events WHERE action = 'order.overrun_alert' AND target_id = $1`,
        [order.id],
      );
      return r.rows[0]!.n === 1;
    });
    const alerts = await f.query(
      `SELECT recipient_type FROM notifications WHERE order_id = $1 AND template = 'staff.overrun'`,
      [order.id],
    );
    expect(alerts.rows.map((r) => r.recipient_type)).toEqual(['staff']);
  });
});
