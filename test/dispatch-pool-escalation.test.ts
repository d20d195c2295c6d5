import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DispatchService } from '../src/modules/dispatch/dispatch.service';
import { TenantContext } from '../src/platform/database/tenant-context';
import { DispatchWorld, eventually, fireDispatchJob } from './support/dispatch-fixtures';
import { Factory } from './support/factories';
import { openSse } from './support/sse-client';
import { createTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';

/**
 * The whole escalation of one order, each delayed step fired as its job (no real waiting):
 * offers at radius step 1..n → the grab hall at the last radius → the shared pool (a giving
 * store, pool on; published through the audited platform path) → staff.
 */
describe('dispatch escalates to the shared pool after the last radius step', () => {
  let db: TestDatabase;
  let t: TestApp;
  let f: Factory;
  let base: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await createTestApp(db, { RUN_WORKERS: 'true', DB_POOL_MAX: '8' });
    f = await Factory.create(db, t.app);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.getHttpServer().address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => {
    await f?.close();
    await t?.close();
    await db?.drop();
  });

  const setPool = (enabled: boolean) => f.query(`UPDATE platform_settings SET shared_pool_enabled = $1`, [enabled]);
  const giverWorld = async () => {
    const w = await DispatchWorld.create(f, {
      mode: 'auto_then_grab',
      offerTimeoutSeconds: 600,
      radiusStepsM: [1000, 3000],
    });
    await f.query(`UPDATE dispatch_settings SET pool_participation = 'giver' WHERE tenant_id = $1`, [w.a.id]);
    return w;
  };
  const poolOffer = async (orderId: string) =>
    (
      await f.query<{ id: string; status: string }>(`SELECT id, status FROM shared_pool_offers WHERE order_id = $1`, [
        orderId,
      ])
    ).rows[0] ?? null;

  it('offers step 1 → step 2 → grab hall → shared pool → staff, each step logged with its reason', async () => {
    await setPool(true);
    const w = await giverWorld();
    await w.tech({ name: 'A', km: 0.5 });
    await w.tech({ name: 'B', km: 2 });
    const staff = await openSse(`${base}/t/${w.a.slug}/api/events`, w.owner);
    try {
      const c = await w.customer(t);
      const order = await w.order(t, c);
      await w.pay(t, order);
      await eventually(async () => (await w.openOffer(order.id))?.technician === 'A');

      // step 1 (1 km): A lets it lapse; nobody else there → step 2 (3 km): B lets it lapse too
      expect(await w.expireOpenOffer(t, order.id)).toBe('offered');
      expect((await w.openOffer(order.id))?.technician).toBe('B');
      // nobody left at the last radius → the grab hall, at that radius
      expect(await w.expireOpenOffer(t, order.id)).toBe('grab');
      expect(await poolOffer(order.id)).toBeNull(); // not yet: the grab hall comes first
      // nobody grabs it → the shared pool
      expect(await fireDispatchJob(t, 'dispatch.grab_step', { orderId: order.id, stepIndex: 1 })).toBe('pool');
      const offer = await poolOffer(order.id);
      expect(offer?.status).toBe('open');
      expect((await staff.next('dispatch.pool_published', 5_000)).data).toMatchObject({ orderId: order.id });
      // nobody takes it from the pool in time → staff
      expect(await fireDispatchJob(t, 'dispatch.pool_timeout', { orderId: order.id })).toBe('needs_staff');

      expect(await w.story(order.id)).toEqual([
        'offered:A',
        'expired:A',
        'escalated',
        'offered:B',
        'expired:B',
        'grab_opened',
        'pool_published',
        'needs_staff',
      ]);
      const log = await w.log(order.id);
      expect(log.find((l) => l.kind === 'grab_opened')).toMatchObject({
        reason_code: 'steps_exhausted',
        details: expect.objectContaining({ radiusM: 3000, stepIndex: 1 }),
      });
      expect(log.find((l) => l.kind === 'pool_published')).toMatchObject({
        reason_code: 'steps_exhausted',
        details: { poolOfferId: offer!.id, takerShareFen: expect.any(Number), stepIndex: 1, radiusM: 3000 },
      });
      expect(log.find((l) => l.kind === 'needs_staff')?.reason_code).toBe('pool_unclaimed');
      // through the audited platform path, by the system
      const audit = await f.query(
        `SELECT actor_type, actor_id FROM platform_audit_events WHERE action = 'shared_pool.publish' AND target_id = $1`,
        [offer!.id],
      );
      expect(audit.rows).toEqual([{ actor_type: 'system', actor_id: null }]);
      const run = await f.query(`SELECT state FROM dispatch_runs WHERE order_id = $1`, [order.id]);
      expect(run.rows[0]).toEqual({ state: 'needs_staff' });
      // staff label the step in the log
      const lines = await t.app.inject({
        method: 'GET',
        url: `/t/${w.a.slug}/api/dispatch/orders/${order.id}/log`,
        headers: { authorization: `Bearer ${w.owner}` },
      });
      const published = lines.json<{ lines: Array<{ kind: string; kindLabel: { zh: string } }> }>().lines;
      expect(published.find((l) => l.kind === 'pool_published')?.kindLabel.zh).toBe('发布到共享订单池');

      // staff assign at home: the pool offer is withdrawn with the assignment
      const assigned = await t.app.inject({
        method: 'POST',
        url: `/t/${w.a.slug}/api/dispatch/orders/${order.id}/assign`,
        headers: { authorization: `Bearer ${w.owner}` },
        payload: { technicianId: w.id('B'), reason: '电话确认' },
      });
      expect(assigned.statusCode, assigned.body).toBe(200);
      expect((await poolOffer(order.id))?.status).toBe('withdrawn');
      // a pool timer of the past does nothing now
      const again = await t.app.get(TenantContext).run(w.a.id, () => t.app.get(DispatchService).poolTimedOut(order.id));
      expect(again).toBe('moved-on');
    } finally {
      staff.close();
    }
  });

  it('the platform pool off: staff right after the last step; auto mode goes to the pool after its offers; a cancel withdraws it', async () => {
    await setPool(false);
    const off = await giverWorld();
    await off.tech({ name: 'X', km: 0.5, online: false });
    const o1 = await off.order(t, await off.customer(t));
    await off.pay(t, o1);
    await eventually(async () => (await off.story(o1.id)).includes('grab_opened'));
    expect(await fireDispatchJob(t, 'dispatch.grab_step', { orderId: o1.id, stepIndex: 1 })).toBe('needs_staff');
    expect(await off.story(o1.id)).toEqual(['escalated', 'grab_opened', 'needs_staff']);
    expect((await off.log(o1.id)).find((l) => l.kind === 'needs_staff')?.reason_code).toBe('steps_exhausted');
    expect(await poolOffer(o1.id)).toBeNull();

    await setPool(true);
    const auto = await giverWorld();
    await f.query(`UPDATE dispatch_settings SET mode = 'auto' WHERE tenant_id = $1`, [auto.a.id]);
    await auto.tech({ name: 'Y', km: 0.5 });
    const c = await auto.customer(t);
    const o2 = await auto.order(t, c);
    await auto.pay(t, o2);
    await eventually(async () => (await auto.openOffer(o2.id))?.technician === 'Y');
    expect(await auto.expireOpenOffer(t, o2.id)).toBe('pool');
    expect(await auto.story(o2.id)).toEqual(['offered:Y', 'expired:Y', 'escalated', 'pool_published']);
    expect((await poolOffer(o2.id))?.status).toBe('open');

    const cancelled = await t.app.inject({
      method: 'POST',
      url: `/t/${auto.a.slug}/api/orders/${o2.id}/cancel`,
      headers: { authorization: `Bearer ${c.token}` },
      payload: { reason: '不需要了' },
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect((await poolOffer(o2.id))?.status).toBe('withdrawn');
    await eventually(async () => {
      const run = await f.query(`SELECT state FROM dispatch_runs WHERE order_id = $1`, [o2.id]);
      return run.rows[0]?.state === 'closed';
    });
    expect(await fireDispatchJob(t, 'dispatch.pool_timeout', { orderId: o2.id })).toBe('moved-on');
  });
});
