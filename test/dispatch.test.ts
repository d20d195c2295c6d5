import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TenantContext } from '../src/platform/database/tenant-context';
import { OrderTransitions } from '../src/modules/orders/order-transitions.service';
import { openSse } from './support/sse-client';
import { Factory } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { DispatchWorld, eventually, fireDispatchJob } from './support/dispatch-fixtures';
import { tomorrowAt } from './support/order-fixtures';

describe('auto-dispatch: offers, declines, timeouts and radius steps', () => {
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

  const post = (w: DispatchWorld, token: string, path: string, payload: object = {}) =>
    t.app.inject({
      method: 'POST',
      url: `/t/${w.a.slug}/api/${path}`,
      headers: { authorization: `Bearer ${token}` },
      payload,
    });
  const get = (w: DispatchWorld, token: string, path: string) =>
    t.app.inject({ method: 'GET', url: `/t/${w.a.slug}/api/${path}`, headers: { authorization: `Bearer ${token}` } });

  it('offers best first; decline → next; timeout → next; radius exhausted → next step; accept → assigned', async () => {
    const w = await DispatchWorld.create(f, { mode: 'auto', offerTimeoutSeconds: 600, radiusStepsM: [2000, 8000] });
    await w.tech({ name: 'T1', km: 0.5 });
    await w.tech({ name: 'T2', km: 1.2 });
    await w.tech({ name: 'T3', km: 5 });
    // each of these is excluded, for its own reason
    await w.tech({ name: 'offline', km: 0.3, online: false });
    await w.tech({ name: 'unskilled', km: 0.3, skills: ['oil'] });
    await w.tech({ name: 'offshift', km: 0.3, shifts: false });
    await w.tech({ name: 'pending', km: 0.3, status: 'pending_review' });
    await w.tech({ name: 'far', km: 30 });
    const busy = await w.tech({ name: 'busy', km: 0.3 });
    await f.query(
      `INSERT INTO technician_busy (tenant_id, technician_id, during, kind)
       VALUES ($1, $2, tstzrange($3::timestamptz, $3::timestamptz + interval '2 hours'), 'block')`,
      [w.a.id, busy, tomorrowAt(3)],
    );
    const blocked = await w.tech({ name: 'blocked', km: 0.3 });
    const c = await w.customer(t);
    const block = await post(w, c.token, 'dispatch/blocks', { technicianId: blocked, reason: '不合适' });
    expect(block.statusCode, block.body).toBe(201);

    const t1 = await w.techToken(t, 'T1');
    const t1Stream = await openSse(`${base}/t/${w.a.slug}/api/events`, t1);
    try {
      const order = await w.order(t, c);
      await w.pay(t, order);

      // T1 (closest) is offered first, and hears it at once
      const pushed = await t1Stream.next('offer', 10_000);
      const offer1 = pushed.data as { offerId: string; orderId: string };
      expect(offer1.orderId).toBe(order.id);
      expect((await w.openOffer(order.id))?.technician).toBe('T1');

      const declined = await post(w, t1, `dispatch/offers/${offer1.offerId}/decline`, { reason: '太远' });
      expect(declined.statusCode, declined.body).toBe(200);
      expect(declined.json().status).toBe('declined');
      expect((await w.openOffer(order.id))?.technician).toBe('T2');

      // T2 says nothing: its deadline passes and the timeout fires; nobody is left within 2 km → 8 km → T3
      expect(await w.expireOpenOffer(t, order.id)).toBe('offered');
      const offer3 = (await w.openOffer(order.id))!;
      expect(offer3.technician).toBe('T3');
      const accepted = await post(w, await w.techToken(t, 'T3'), `dispatch/offers/${offer3.id}/accept`);
      expect(accepted.statusCode, accepted.body).toBe(200);

      const o = await f.query(`SELECT status, technician_id FROM orders WHERE id = $1`, [order.id]);
      expect(o.rows[0]).toEqual({ status: 'accepted', technician_id: w.id('T3') });
      const hold = await f.query(
        `SELECT technician_id FROM technician_busy WHERE reference_id = $1 AND active AND kind = 'booking'`,
        [order.id],
      );
      expect(hold.rows).toEqual([{ technician_id: w.id('T3') }]);

      expect(await w.story(order.id)).toEqual([
        'offered:T1',
        'declined:T1',
        'offered:T2',
        'expired:T2',
        'escalated',
        'offered:T3',
        'assigned:T3',
      ]);

      const log = await w.log(order.id);
      const reasonOf = (name: string) =>
        log.find((r) => r.kind === 'excluded' && r.technician_id === w.id(name))?.reason_code;
      expect(reasonOf('offline')).toBe('offline');
      expect(reasonOf('unskilled')).toBe('skills');
      expect(reasonOf('offshift')).toBe('off_shift');
      expect(reasonOf('pending')).toBe('not_approved');
      expect(reasonOf('far')).toBe('too_far');
      expect(reasonOf('busy')).toBe('busy');
      expect(reasonOf('blocked')).toBe('blocked');
      // T3 was out of reach at 2 km, then scored at 8 km
      expect(log.find((r) => r.kind === 'excluded' && r.technician_id === w.id('T3'))?.reason_code).toBe('too_far');
      const scored = log.filter((r) => r.kind === 'scored').map((r) => w.name(r.technician_id));
      expect(scored).toEqual(expect.arrayContaining(['T1', 'T2', 'T3']));
      expect(log.filter((r) => r.kind === 'offered').map((r) => w.name(r.technician_id))).toEqual(['T1', 'T2', 'T3']);

      // staff see the whole story in order, labelled
      const staffLog = await get(w, w.owner, `dispatch/orders/${order.id}/log`);
      expect(staffLog.statusCode, staffLog.body).toBe(200);
      const lines = staffLog.json<{
        lines: Array<{
          kind: string;
          seq: number;
          kindLabel: { zh: string };
          reasonLabel: { en: string } | null;
          score: unknown;
        }>;
      }>().lines;
      expect(lines.map((l) => l.seq)).toEqual([...lines.map((l) => l.seq)].sort((x, y) => x - y));
      expect(lines.length).toBe(log.length);
      expect(lines.find((l) => l.kind === 'expired')?.kindLabel.zh).toBe('超时未响应');
      expect(lines.find((l) => l.kind === 'excluded')?.reasonLabel?.en).toBeTruthy();
      expect(lines.find((l) => l.kind === 'scored')?.score).toMatchObject({
        eta: expect.any(Number),
        total: expect.any(Number),
      });

      // T1 sees only their own lines and that someone else took it — not who
      const mine = await get(w, t1, `dispatch/orders/${order.id}/log`);
      expect(mine.statusCode, mine.body).toBe(200);
      expect(mine.json<{ lines: Array<{ kind: string }> }>().lines.map((l) => l.kind)).toEqual([
        'offered',
        'declined',
        'taken',
      ]);
      for (const other of ['T2', 'T3', 'busy', 'blocked']) expect(mine.body).not.toContain(w.id(other));

      // T1 appeals; staff answer
      const appeal = await post(w, t1, 'dispatch/appeals', { orderId: order.id, text: '我离得最近，为什么没派给我？' });
      expect(appeal.statusCode, appeal.body).toBe(201);
      const listed = await get(w, w.owner, 'dispatch/appeals?status=open');
      expect(listed.json().map((a: { id: string }) => a.id)).toContain(appeal.json().id);
      const resolved = await post(w, w.owner, `dispatch/appeals/${appeal.json().id}/resolve`, { reply: '您已拒单' });
      expect(resolved.statusCode, resolved.body).toBe(200);
      expect(resolved.json()).toMatchObject({ status: 'resolved', reply: '您已拒单' });
      expect(
        (await post(w, w.owner, `dispatch/appeals/${appeal.json().id}/resolve`, { reply: 'again' })).statusCode,
      ).toBe(409);
      expect(await w.story(order.id, ['appeal'])).toEqual(['appeal:T1']);
    } finally {
      t1Stream.close();
    }
  });

  it("a technician cannot answer someone else's offer (404), an expired one or one answered already (409)", async () => {
    const w = await DispatchWorld.create(f, { mode: 'auto', offerTimeoutSeconds: 600 });
    await w.tech({ name: 'A', km: 0.5 });
    await w.tech({ name: 'B', km: 1 });
    const c = await w.customer(t);
    const order = await w.order(t, c);
    await w.pay(t, order);
    await eventually(async () => (await w.openOffer(order.id)) !== null);
    const offer = (await w.openOffer(order.id))!;
    expect(offer.technician).toBe('A');
    const a = await w.techToken(t, 'A');
    const b = await w.techToken(t, 'B');

    const stolen = await post(w, b, `dispatch/offers/${offer.id}/accept`);
    expect(stolen.statusCode).toBe(404);
    expect(stolen.json().code).toBe('OFFER_NOT_FOUND');
    expect((await post(w, b, `dispatch/offers/${offer.id}/decline`)).statusCode).toBe(404);

    // the deadline passed (its timer has not fired yet): too late to accept
    await f.query(
      `UPDATE dispatch_offers SET offered_at = now() - interval '2 minutes', expires_at = now() - interval '1 second' WHERE id = $1`,
      [offer.id],
    );
    const late = await post(w, a, `dispatch/offers/${offer.id}/accept`);
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('OFFER_EXPIRED');

    // declined already → 409 on a second answer
    await f.query(`UPDATE dispatch_offers SET expires_at = now() + interval '10 minutes' WHERE id = $1`, [offer.id]);
    expect((await post(w, a, `dispatch/offers/${offer.id}/decline`)).statusCode).toBe(200);
    const again = await post(w, a, `dispatch/offers/${offer.id}/accept`);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('OFFER_NOT_OPEN');
    expect((await w.openOffer(order.id))?.technician).toBe('B');
    expect((await post(w, a, 'dispatch/offers/not-a-uuid/accept')).statusCode).toBe(400);
  });

  it('six parallel accepts of one offer: exactly one wins, one assignment, one hold', async () => {
    const w = await DispatchWorld.create(f, { mode: 'auto', offerTimeoutSeconds: 600 });
    await w.tech({ name: 'P', km: 0.5 });
    const c = await w.customer(t);
    const order = await w.order(t, c);
    await w.pay(t, order);
    await eventually(async () => (await w.openOffer(order.id)) !== null);
    const offer = (await w.openOffer(order.id))!;
    const token = await w.techToken(t, 'P');
    const results = await Promise.all(
      Array.from({ length: 6 }, () => post(w, token, `dispatch/offers/${offer.id}/accept`)),
    );
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([200, 409, 409, 409, 409, 409]);
    expect(results.filter((r) => r.statusCode === 409).map((r) => r.json().code)).toEqual(
      Array(5).fill('OFFER_NOT_OPEN'),
    );
    expect(await w.story(order.id)).toEqual(['offered:P', 'assigned:P']);
    const holds = await f.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM technician_busy WHERE reference_id = $1 AND active`,
      [order.id],
    );
    expect(holds.rows[0]?.n).toBe(1);
    const events = await f.query(`SELECT event FROM order_events WHERE order_id = $1 ORDER BY created_at`, [order.id]);
    expect(events.rows.filter((r) => r.event === 'assign')).toHaveLength(1);
    expect(events.rows.filter((r) => r.event === 'accept')).toHaveLength(1);
  });

  it('a customer cancels while an offer is open: the offer is withdrawn and the technician told', async () => {
    const w = await DispatchWorld.create(f, { mode: 'auto', offerTimeoutSeconds: 600 });
    await w.tech({ name: 'C1', km: 0.5 });
    const stream = await openSse(`${base}/t/${w.a.slug}/api/events`, await w.techToken(t, 'C1'));
    try {
      const c = await w.customer(t);
      const order = await w.order(t, c);
      await w.pay(t, order);
      const offer = (await stream.next('offer', 10_000)).data as { offerId: string };
      const cancelled = await post(w, c.token, `orders/${order.id}/cancel`, { reason: '临时有事' });
      expect(cancelled.statusCode, cancelled.body).toBe(200);
      expect((await stream.next('offer.withdrawn', 10_000)).data).toMatchObject({ offerId: offer.offerId });
      expect(await w.openOffer(order.id)).toBeNull();
      expect(await w.story(order.id)).toEqual(['offered:C1', 'withdrawn:C1']);
      const late = await post(w, await w.techToken(t, 'C1'), `dispatch/offers/${offer.offerId}/accept`);
      expect(late.statusCode).toBe(409);
    } finally {
      stream.close();
    }
  });

  it('staff assign someone else while an offer is open: the offer is withdrawn and logged before the assignment, its technician told', async () => {
    const w = await DispatchWorld.create(f, { mode: 'auto', offerTimeoutSeconds: 600 });
    await w.tech({ name: 'W1', km: 0.5 });
    const w2 = await w.tech({ name: 'W2', km: 3 });
    const stream = await openSse(`${base}/t/${w.a.slug}/api/events`, await w.techToken(t, 'W1'));
    try {
      const c = await w.customer(t);
      const order = await w.order(t, c);
      await w.pay(t, order);
      const offer = (await stream.next('offer', 10_000)).data as { offerId: string };
      const assigned = await post(w, w.owner, `dispatch/orders/${order.id}/assign`, {
        technicianId: w2,
        reason: '指定',
      });
      expect(assigned.statusCode, assigned.body).toBe(200);
      expect((await stream.next('offer.withdrawn', 10_000)).data).toMatchObject({
        offerId: offer.offerId,
        orderId: order.id,
      });
      expect(await w.openOffer(order.id)).toBeNull();
      expect(await w.story(order.id)).toEqual(['offered:W1', 'withdrawn:W1', 'assigned:W2']);
      const log = await w.log(order.id);
      expect(log.find((r) => r.kind === 'withdrawn')).toMatchObject({
        reason_code: 'assigned_elsewhere',
        details: { offerId: offer.offerId },
      });
      const run = await f.query(`SELECT state FROM dispatch_runs WHERE order_id = $1`, [order.id]);
      expect(run.rows).toEqual([{ state: 'assigned' }]);
      const late = await post(w, await w.techToken(t, 'W1'), `dispatch/offers/${offer.offerId}/accept`);
      expect(late.statusCode).toBe(409);
    } finally {
      stream.close();
    }
  });

  it('nobody eligible at any step: auto_then_grab opens the grab hall; auto alone asks staff', async () => {
    const grab = await DispatchWorld.create(f, { mode: 'auto_then_grab', radiusStepsM: [1000, 2000] });
    await grab.tech({ name: 'G', km: 0.5, online: false });
    const c1 = await grab.customer(t);
    const o1 = await grab.order(t, c1);
    await grab.pay(t, o1);
    await eventually(async () => (await grab.story(o1.id)).includes('grab_opened'));
    expect(await grab.story(o1.id)).toEqual(['escalated', 'grab_opened']);

    const manual = await DispatchWorld.create(f, { mode: 'auto', radiusStepsM: [1000] });
    const staffStream = await openSse(`${base}/t/${manual.a.slug}/api/events`, manual.owner);
    try {
      const c2 = await manual.customer(t);
      const o2 = await manual.order(t, c2);
      await manual.pay(t, o2);
      const alert = await staffStream.next('dispatch.needs_staff', 10_000);
      expect((alert.data as { orderId: string }).orderId).toBe(o2.id);
      expect(await manual.story(o2.id)).toEqual(['needs_staff']);
    } finally {
      staffStream.close();
    }
  });

  it('a technician who cannot arrive before the start is excluded as eta_late', async () => {
    const w = await DispatchWorld.create(f, { mode: 'auto', radiusStepsM: [40000] });
    await w.tech({ name: 'L', km: 30 }); // ~30 km × 1.3 at 25 km/h + 10 min ≈ 104 min away
    const c = await w.customer(t);
    const order = await w.order(t, c);
    // the order starts in 70 minutes (as a booking made just inside the lead time would)
    await f.query(
      `UPDATE orders SET start_at = now() + interval '70 minutes', end_at = now() + interval '130 minutes' WHERE id = $1`,
      [order.id],
    );
    await w.pay(t, order);
    await eventually(async () => (await w.story(order.id)).includes('needs_staff'));
    const excluded = (await w.log(order.id)).find((r) => r.kind === 'excluded');
    expect(excluded).toMatchObject({ technician_id: w.id('L'), reason_code: 'eta_late' });
  });

  it('grab mode widens the audience step by step on its timer, then asks staff', async () => {
    const w = await DispatchWorld.create(f, { mode: 'grab', offerTimeoutSeconds: 600, radiusStepsM: [1000, 3000] });
    const g = await w.tech({ name: 'G2', km: 2 });
    const c = await w.customer(t);
    const order = await w.order(t, c);
    await w.pay(t, order);
    await eventually(async () => (await w.story(order.id)).includes('grab_opened'));
    expect(await fireDispatchJob(t, 'dispatch.grab_step', { orderId: order.id, stepIndex: 0 })).toBe('grab');
    expect(await w.story(order.id)).toEqual(['grab_opened', 'escalated', 'grab_opened']);
    // the store does not give to the shared pool: after the last step, staff
    expect(await fireDispatchJob(t, 'dispatch.grab_step', { orderId: order.id, stepIndex: 1 })).toBe('needs_staff');
    expect(await w.story(order.id)).toEqual(['grab_opened', 'escalated', 'grab_opened', 'needs_staff']);
    const opened = (await w.log(order.id)).filter((r) => r.kind === 'grab_opened').map((r) => r.details);
    expect(opened).toEqual([
      expect.objectContaining({ radiusM: 1000, technicianIds: [] }),
      expect.objectContaining({ radiusM: 3000, technicianIds: [g] }),
    ]);
    expect(await w.openOffer(order.id)).toBeNull(); // grab mode never sends one-to-one offers
  });

  it('an assigned technician gives the order back: their time is freed and the chain skips them', async () => {
    const w = await DispatchWorld.create(f, { mode: 'manual', offerTimeoutSeconds: 600 });
    const d1 = await w.tech({ name: 'D1', km: 0.5 });
    await w.tech({ name: 'D2', km: 1 });
    const c = await w.customer(t);
    const order = await w.order(t, c);
    await w.pay(t, order);
    await eventually(async () => (await w.story(order.id)).includes('needs_staff'));
    expect(
      (await post(w, w.owner, `dispatch/orders/${order.id}/assign`, { technicianId: d1, reason: '指定' })).statusCode,
    ).toBe(200);
    await f.query(`UPDATE dispatch_settings SET mode = 'auto' WHERE tenant_id = $1`, [w.a.id]);
    // D1 declines the assignment (the trip workflow applies `decline`: assigned → dispatching)
    await t.app
      .get(TenantContext)
      .run(w.a.id, () =>
        t.app.get(OrderTransitions).apply(order.id, 'decline', { type: 'technician', id: d1 }, '没空'),
      );
    await eventually(async () => (await w.openOffer(order.id)) !== null);
    expect((await w.openOffer(order.id))?.technician).toBe('D2');
    expect(await w.story(order.id)).toEqual(['needs_staff', 'assigned:D1', 'declined:D1', 'offered:D2']);
    const d1Holds = await f.query(
      `SELECT count(*)::int AS n FROM technician_busy WHERE technician_id = $1 AND active`,
      [d1],
    );
    expect(d1Holds.rows[0]?.n).toBe(0);
  });

  it('manual assign and 转派 need a reason, move the busy time, refuse an overlap (409) and are logged', async () => {
    const w = await DispatchWorld.create(f, { mode: 'manual' });
    const m1 = await w.tech({ name: 'M1', km: 1 });
    const m2 = await w.tech({ name: 'M2', km: 2 });
    const staff = await f.newStaff(w.a, { role: 'store_staff' });
    const staffToken = await f.token({ id: staff.id, role: 'store_staff', tenantId: w.a.id });
    const c = await w.customer(t);
    const order = await w.order(t, c);
    await w.pay(t, order);
    await eventually(async () => (await w.story(order.id)).includes('needs_staff'));

    const waiting = await get(w, staffToken, 'dispatch/runs?state=needs_staff');
    expect(waiting.statusCode, waiting.body).toBe(200);
    expect(waiting.json()).toEqual([
      expect.objectContaining({ orderId: order.id, state: 'needs_staff', mode: 'manual' }),
    ]);
    expect((await get(w, staffToken, 'dispatch/runs?state=lost')).statusCode).toBe(400);
    expect((await get(w, await w.techToken(t, 'M1'), 'dispatch/runs?state=needs_staff')).statusCode).toBe(403);
    const noReason = await post(w, staffToken, `dispatch/orders/${order.id}/assign`, { technicianId: m1 });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().fields.map((x: { field: string }) => x.field)).toContain('reason');
    const blank = await post(w, staffToken, `dispatch/orders/${order.id}/assign`, { technicianId: m1, reason: '' });
    expect(blank.statusCode).toBe(400);

    const ok = await post(w, staffToken, `dispatch/orders/${order.id}/assign`, {
      technicianId: m1,
      reason: '老顾客指定',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ orderId: order.id, status: 'assigned', technicianId: m1 });

    // a second order at the same time cannot go to M1: the busy-time constraint says no
    const other = await w.order(t, await w.customer(t));
    await w.pay(t, other);
    const clash = await post(w, w.owner, `dispatch/orders/${other.id}/assign`, { technicianId: m1, reason: '试试' });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().code).toBe('SLOT_TAKEN');

    const missing = await post(w, w.owner, `dispatch/orders/${order.id}/reassign`, { technicianId: m2 });
    expect(missing.statusCode).toBe(400);
    const same = await post(w, w.owner, `dispatch/orders/${order.id}/reassign`, { technicianId: m1, reason: 'x' });
    expect(same.statusCode).toBe(400);
    const moved = await post(w, w.owner, `dispatch/orders/${order.id}/reassign`, {
      technicianId: m2,
      reason: 'M1 请假',
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toEqual({ orderId: order.id, status: 'assigned', technicianId: m2 });
    const holds = await f.query(
      `SELECT technician_id FROM technician_busy WHERE reference_id = $1 AND active ORDER BY created_at`,
      [order.id],
    );
    expect(holds.rows).toEqual([{ technician_id: m2 }]);
    // M1 is free again: the other order can have them now
    const now = await post(w, w.owner, `dispatch/orders/${other.id}/assign`, { technicianId: m1, reason: '空出来了' });
    expect(now.statusCode, now.body).toBe(200);
    // an order that is not assigned cannot be reassigned; an assigned one cannot be assigned again
    expect(
      (await post(w, w.owner, `dispatch/orders/${order.id}/assign`, { technicianId: m1, reason: 'x' })).statusCode,
    ).toBe(409);

    expect(await w.story(order.id)).toEqual(['needs_staff', 'assigned:M1', 'reassigned:M2']);
    expect(
      (await get(w, staffToken, 'dispatch/runs?state=needs_staff')).json().map((r: { orderId: string }) => r.orderId),
    ).not.toContain(order.id);
    const log = await w.log(order.id);
    expect(log.find((r) => r.kind === 'assigned')?.details).toMatchObject({ via: 'manual', reason: '老顾客指定' });
    expect(log.find((r) => r.kind === 'reassigned')?.details).toMatchObject({
      reason: 'M1 请假',
      fromTechnicianId: m1,
    });
    const events = await f.query(`SELECT event, reason FROM order_events WHERE order_id = $1 ORDER BY created_at`, [
      order.id,
    ]);
    expect(events.rows.slice(-2)).toEqual([
      { event: 'assign', reason: '老顾客指定' },
      { event: 'reassign', reason: 'M1 请假' },
    ]);
    // M1 sees that it went elsewhere, without who
    const m1Log = await get(w, await w.techToken(t, 'M1'), `dispatch/orders/${order.id}/log`);
    expect(m1Log.json().lines.map((l: { kind: string }) => l.kind)).toEqual(['assigned', 'taken']);
    expect(m1Log.body).not.toContain(m2);
  });
});
