import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORDER_TIMERS_QUEUE, ORDER_TIMER_JOBS } from '../src/modules/orders/order-timers';
import { OrderTimersJob } from '../src/modules/orders/order-timers.job';
import {
  POOL_GIVER_EFFECTS_JOB,
  poolGiverEffectsJobId,
  type PoolGiverEffectsPayload,
  type PoolGiverStep,
} from '../src/modules/shared-pool/pool-giver-effects';
import { PoolGiverEffectsJob } from '../src/modules/shared-pool/pool-giver-effects.job';
import { TenantContext } from '../src/platform/database/tenant-context';
import { JobQueue } from '../src/platform/queue/job-queue';
import { Factory, type TestTenant } from './support/factories';
import { dispatchingOrder, grabStore, onDutyTechnicians, slotStart, type GrabStore } from './support/grab-fixtures';
import { createTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';

/**
 * A pool order's steps, written on the giving store's order by the platform functions, have the
 * giving store's side effects through `pool.giver_effects` (workers off here: each queued job is
 * found by its id and run through its handler in the giving store's context, as a worker would).
 */
describe('shared pool: the giving store’s notices and overrun check', () => {
  let db: TestDatabase;
  let t: TestApp;
  let f: Factory;
  let giver: GrabStore;
  let taker: TestTenant;
  let giverOwner: string;
  let giverStaffId: string;
  let ctx: TenantContext;

  const req = (method: 'POST', url: string, token: string, payload?: object) =>
    t.app.inject({ method, url, payload: payload ?? {}, headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await createTestApp(db, { RUN_WORKERS: 'false' });
    f = await Factory.create(db, t.app);
    ctx = t.app.get(TenantContext);
    giver = await grabStore(f, t.app, await f.newTenant());
    taker = await f.newTenant();
    for (const [tenantId, role] of [
      [giver.tenant.id, 'giver'],
      [taker.id, 'taker'],
    ]) {
      await f.query(
        `INSERT INTO dispatch_settings (tenant_id, pool_participation) VALUES ($1, $2)
         ON CONFLICT (tenant_id) DO UPDATE SET pool_participation = EXCLUDED.pool_participation`,
        [tenantId, role],
      );
    }
    await f.query(`UPDATE platform_settings SET shared_pool_enabled = true`);
    const owner = await f.newStaff(giver.tenant);
    giverStaffId = owner.id;
    giverOwner = await f.token({ id: owner.id, role: 'tenant_owner', tenantId: giver.tenant.id });
  }, 60_000);
  afterAll(async () => {
    await f?.close();
    await t?.close();
    await db?.drop();
  });

  /** The giving store's notifications of the order, read under its own RLS. */
  const giverNotices = (orderId: string) =>
    ctx.run(giver.tenant.id, (tx) => tx.notification.findMany({ where: { orderId }, orderBy: { createdAt: 'asc' } }));

  /** The queued job of a step: ids only, for the giving store; runs it there (as a worker would). */
  async function runQueued(offerId: string, orderId: string, step: PoolGiverStep): Promise<PoolGiverEffectsPayload> {
    const queue = t.app.get(JobQueue).queue('notifications');
    const job = await queue.getJob(poolGiverEffectsJobId(offerId, step));
    expect(job?.name).toBe(POOL_GIVER_EFFECTS_JOB);
    const payload = job!.data as PoolGiverEffectsPayload;
    expect(payload).toEqual({ tenantId: giver.tenant.id, orderId, offerId, step });
    expect(await ctx.run(giver.tenant.id, () => t.app.get(PoolGiverEffectsJob).run(payload))).toBe('done');
    return payload;
  }

  it('each step of the holder notifies the giving store’s customer once, as its own transitions would; the taking store gets none; in service, the overrun check alerts the giving store’s staff', async () => {
    const orderId = await dispatchingOrder(f, t.app, giver, {
      startAt: slotStart(2),
      at: { lat: 31.2345, lng: 121.4801 },
    });
    const pub = await req('POST', `/t/${giver.tenant.slug}/api/shared-pool/orders/${orderId}/publish`, giverOwner);
    expect(pub.statusCode, pub.body).toBe(200);
    const offerId = pub.json().offerId as string;
    const [holder] = await onDutyTechnicians(f, taker, 1);
    const work = (step: string, payload?: object) =>
      req('POST', `/t/${taker.slug}/api/shared-pool/offers/${offerId}/${step}`, holder!.token, payload);
    const customerTemplates = async () =>
      (await giverNotices(orderId))
        .filter((n) => n.recipientType === 'customer' && n.recipientId === giver.customerId)
        .map((n) => n.template);

    expect((await work('claim')).statusCode).toBe(200);
    await runQueued(offerId, orderId, 'claim');
    expect(await customerTemplates()).toEqual(['order.assigned']);

    expect((await work('depart')).statusCode).toBe(200);
    const departed = await runQueued(offerId, orderId, 'depart');
    expect(await customerTemplates()).toEqual(['order.assigned', 'order.departed']);
    // the technician of another store is not named to the customer
    const notices = await giverNotices(orderId);
    expect(notices.find((n) => n.template === 'order.departed')!.params).toMatchObject({ technicianName: '技师' });
    expect(notices.find((n) => n.template === 'order.departed')!.channels).toContain('sms');

    expect((await work('arrive', { lat: 31.2346, lng: 121.4801 })).statusCode).toBe(200);
    await runQueued(offerId, orderId, 'arrive');
    expect(await customerTemplates()).toEqual(['order.assigned', 'order.departed', 'order.arrived']);

    // a replay (the handler again; the same job enqueued again) sends nothing twice
    expect(await ctx.run(giver.tenant.id, () => t.app.get(PoolGiverEffectsJob).run(departed))).toBe('done');
    await ctx.run(giver.tenant.id, () =>
      t.app
        .get(JobQueue)
        .enqueue(POOL_GIVER_EFFECTS_JOB, departed, { jobId: poolGiverEffectsJobId(offerId, 'depart') }),
    );
    const sameId = (await t.app.get(JobQueue).queue('notifications').getJobs()).filter(
      (j) => j.id === poolGiverEffectsJobId(offerId, 'depart'),
    );
    expect(sameId).toHaveLength(1);
    expect(await customerTemplates()).toEqual(['order.assigned', 'order.departed', 'order.arrived']);

    // in service: the giving store's overrun check is scheduled for its order (end + grace)
    expect((await work('start')).statusCode).toBe(200);
    await runQueued(offerId, orderId, 'start_service');
    expect(await customerTemplates()).toEqual(['order.assigned', 'order.departed', 'order.arrived']);
    const timers = t.app.get(JobQueue).queue(ORDER_TIMERS_QUEUE);
    const overrun = (await timers.getDelayed()).filter(
      (j) => j.name === ORDER_TIMER_JOBS.overrunCheck && j.data.orderId === orderId,
    );
    expect(overrun).toHaveLength(1);
    expect(overrun[0]!.data).toEqual({ tenantId: giver.tenant.id, orderId });
    const ends = await f.query<{ end_at: Date }>(`SELECT end_at FROM orders WHERE id = $1`, [orderId]);
    expect(overrun[0]!.timestamp + overrun[0]!.opts.delay!).toBeGreaterThan(ends.rows[0]!.end_at.getTime());
    // replayed: still one timer
    await ctx.run(giver.tenant.id, () =>
      t.app.get(PoolGiverEffectsJob).run({ tenantId: giver.tenant.id, orderId, offerId, step: 'start_service' }),
    );
    expect(
      (await timers.getDelayed()).filter((j) => j.name === ORDER_TIMER_JOBS.overrunCheck && j.data.orderId === orderId),
    ).toHaveLength(1);

    // it fires past the end + grace with no check-out: the giving store's staff are alerted
    await f.query(
      `UPDATE orders SET start_at = now() - interval '80 minutes', end_at = now() - interval '20 minutes'
        WHERE id = $1`,
      [orderId],
    );
    const fired = await ctx.run(giver.tenant.id, () =>
      t.app.get(OrderTimersJob).overrunCheck(overrun[0]!.data as { tenantId: string; orderId: string }),
    );
    expect(fired).toBe('alerted');
    const alerts = (await giverNotices(orderId)).filter((n) => n.template === 'staff.overrun');
    expect(alerts.map((n) => [n.recipientType, n.recipientId])).toEqual([['staff', giverStaffId]]);

    expect((await work('complete')).statusCode).toBe(200);
    await runQueued(offerId, orderId, 'complete');
    expect(await customerTemplates()).toEqual(['order.assigned', 'order.departed', 'order.arrived', 'order.completed']);
    // completed: the overrun timer finds nothing to do
    expect(
      await ctx.run(giver.tenant.id, () =>
        t.app.get(OrderTimersJob).overrunCheck({ tenantId: giver.tenant.id, orderId }),
      ),
    ).toBe('moved-on');

    // the taking store has none of these, read under its own RLS or not at all
    const takerOwn = await ctx.run(taker.id, (tx) => tx.notification.findMany({ where: { orderId } }));
    expect(takerOwn).toEqual([]);
    const takerRows = await f.query(`SELECT 1 FROM notifications WHERE tenant_id = $1`, [taker.id]);
    expect(takerRows.rowCount).toBe(0);
  });

  it('a job naming a pool offer whose step never happened on that order sends nothing', async () => {
    const orderId = await dispatchingOrder(f, t.app, giver, { startAt: slotStart(4) });
    const payload = { tenantId: giver.tenant.id, orderId, offerId: orderId, step: 'depart' as const };
    expect(await ctx.run(giver.tenant.id, () => t.app.get(PoolGiverEffectsJob).run(payload))).toBe('no-step');
    expect(await giverNotices(orderId)).toEqual([]);
  });
});
