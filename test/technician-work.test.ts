import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../src/modules/orders/order-actor';
import { OrderTransitions } from '../src/modules/orders/order-transitions.service';
import { TenantContext } from '../src/platform/database/tenant-context';
import { Factory, type TestTenant } from './support/factories';
import {
  CENTRE,
  orderCustomer,
  orderStore,
  orderTechnician,
  tomorrowAt,
  type OrderStore,
} from './support/order-fixtures';
import { bookOrder, storeCaller, topUpWallet } from './support/payment-fixtures';
import { openSse } from './support/sse-client';
import { createTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';

const NIL = '00000000-0000-4000-8000-000000000000';

describe('technician workflow, SOS and income', () => {
  let db: TestDatabase;
  let t: TestApp;
  let f: Factory;
  let a: TestTenant;
  let b: TestTenant;
  let storeA: OrderStore;
  let storeB: OrderStore;
  let base: string;
  let call: ReturnType<typeof storeCaller>;
  const tok: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const streams: Array<{ close: () => void }> = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await createTestApp(db);
    f = await Factory.create(db, t.app);
    call = storeCaller(t.app);
    a = await f.newTenant();
    b = await f.newTenant();
    storeA = await orderStore(f, a);
    storeB = await orderStore(f, b);
    await f.query(
      `INSERT INTO service_addons (tenant_id, service_id, kind, name_zh, price_fen, minutes, max_quantity)
       VALUES ($1, $2, 'extension', '加钟30分钟', 9800, 30, 2)`,
      [a.id, storeA.serviceId],
    );
    for (const [name, tenant, role] of [
      ['ownerA', a, 'tenant_owner'],
      ['managerA', a, 'store_manager'],
      ['staffA', a, 'store_staff'],
      ['ownerB', b, 'tenant_owner'],
    ] as const) {
      const s = await f.newStaff(tenant, { role });
      ids[name] = s.id;
      tok[name] = await f.token({ id: s.id, role, tenantId: tenant.id });
    }
    for (const [name, tenant] of [
      ['techA', a],
      ['tech2A', a],
      ['techB', b],
    ] as const) {
      ids[name] = await orderTechnician(f, tenant);
      tok[name] = await f.token({ id: ids[name]!, role: 'technician', tenantId: tenant.id });
    }
    const cust = await orderCustomer(f, t.app, a);
    tok.customerA = cust.token;
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.getHttpServer().address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => {
    for (const s of streams) s.close();
    await f?.close();
    await t?.close();
    await db?.drop();
  });

  /** A wallet-paid order of `store`, assigned to and accepted by `technicianId`. */
  async function acceptedOrder(
    store: OrderStore,
    technicianId: string,
  ): Promise<{ id: string; totalFen: number; customer: { id: string; token: string } }> {
    const c = await orderCustomer(f, t.app, store.tenant);
    const order = await bookOrder(t.app, store, c, { paymentMethod: 'balance', technicianId });
    await topUpWallet(t.app, store.tenant.id, c.id, order.totalFen);
    const paid = await call('POST', store.tenant, `orders/${order.id}/pay`, c.token, { method: 'balance' });
    expect(paid.statusCode, paid.body).toBe(200);
    const ctx = t.app.get(TenantContext);
    const status = (await f.query<{ status: string }>(`SELECT status FROM orders WHERE id = $1`, [order.id])).rows[0]!;
    if (status.status !== 'assigned') {
      await ctx.run(store.tenant.id, () =>
        t.app.get(OrderTransitions).apply(order.id, 'assign', SYSTEM, null, { patch: { technicianId } }),
      );
    }
    await ctx.run(store.tenant.id, () => t.app.get(OrderTransitions).apply(order.id, 'accept', SYSTEM));
    return { ...order, customer: c };
  }

  const step = (tenant: TestTenant, token: string, id: string, s: string, payload?: object) =>
    call('POST', tenant, `technician/orders/${id}/${s}`, token, payload ?? {});

  it('walks depart → arrive (geofenced) → start → complete; address only while active; income equals the ledger', async () => {
    const order = await acceptedOrder(storeA, ids.techA!);
    const listed = await call('GET', a, 'technician/orders', tok.techA);
    expect(listed.statusCode, listed.body).toBe(200);
    const mine = listed.json().find((o: { id: string }) => o.id === order.id);
    expect(mine.address.addressText).toBe('上海市黄浦区人民大道');
    expect(mine.cashDueFen).toBe(0); // paid from the wallet: no cash to collect
    expect(mine.address.phoneMasked).toMatch(/^\d{3}\*{4}\d{4}$/);

    // out of order → 409, someone else's → 404
    expect((await step(a, tok.techA!, order.id, 'start')).statusCode).toBe(409);
    expect((await step(a, tok.tech2A!, order.id, 'depart')).statusCode).toBe(404);
    expect((await step(a, tok.techA!, order.id, 'depart')).statusCode).toBe(200);
    expect((await step(a, tok.techA!, order.id, 'depart')).statusCode).toBe(409);

    // 1.1 km away → 400 naming lat/lng with the distance
    const far = await step(a, tok.techA!, order.id, 'arrive', { lat: CENTRE.lat + 0.01, lng: CENTRE.lng });
    expect(far.statusCode).toBe(400);
    expect(
      far
        .json()
        .fields.map((x: { field: string }) => x.field)
        .sort(),
    ).toEqual(['lat', 'lng']);
    expect(far.json().fields[0].messages[0]).toMatch(/11\d\d/);
    const bad = await step(a, tok.techA!, order.id, 'arrive', { lat: 200, lng: CENTRE.lng });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields.map((x: { field: string }) => x.field)).toContain('lat');
    const near = await step(a, tok.techA!, order.id, 'arrive', { lat: CENTRE.lat + 0.001, lng: CENTRE.lng });
    expect(near.statusCode, near.body).toBe(200);
    expect(near.json().status).toBe('arrived');
    expect((await step(a, tok.techA!, order.id, 'start')).json().status).toBe('in_service');

    // 加钟: the technician proposes, only the order's customer confirms, then pays the supplement
    expect((await step(a, tok.techA!, order.id, 'extensions', { units: 3 })).json().fields[0].field).toBe('units');
    expect((await step(a, tok.tech2A!, order.id, 'extensions', { units: 1 })).statusCode).toBe(404);
    const proposed = await step(a, tok.techA!, order.id, 'extensions', { units: 2 });
    expect(proposed.statusCode, proposed.body).toBe(201);
    expect(proposed.json()).toMatchObject({ minutes: 60, amountFen: 19600, status: 'proposed' });
    const extId: string = proposed.json().id;
    const confirmPath = `orders/${order.id}/extensions/${extId}/confirm`;
    expect((await call('POST', a, confirmPath, tok.techA)).statusCode).toBe(403);
    expect((await call('POST', a, confirmPath, tok.ownerA)).statusCode).toBe(403);
    expect((await call('POST', a, confirmPath, tok.customerA)).statusCode).toBe(404); // another customer
    expect((await call('POST', b, confirmPath, order.customer.token)).statusCode).toBe(403);
    const endBefore = (await f.query<{ end_at: Date }>(`SELECT end_at FROM orders WHERE id = $1`, [order.id])).rows[0]!;
    const confirmed = await call('POST', a, confirmPath, order.customer.token);
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json().status).toBe('pending_payment');
    const endAfter = (await f.query<{ end_at: Date }>(`SELECT end_at FROM orders WHERE id = $1`, [order.id])).rows[0]!;
    expect(endAfter.end_at.getTime() - endBefore.end_at.getTime()).toBe(60 * 60_000);
    await topUpWallet(t.app, a.id, order.customer.id, 19600);
    const payExt = await call('POST', a, `orders/${order.id}/extensions/${extId}/pay`, order.customer.token, {
      method: 'balance',
    });
    expect(payExt.statusCode, payExt.body).toBe(200);
    const done = await step(a, tok.techA!, order.id, 'complete');
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().status).toBe('completed');
    expect(done.json().address).toBeUndefined();
    const after = (await call('GET', a, 'technician/orders', tok.techA)).json();
    expect(after.find((o: { id: string }) => o.id === order.id).address).toBeUndefined();

    // income = the technician_payable credits in the journal
    const ledger = await f.query<{ n: number; sum: number }>(
      `SELECT count(DISTINCT t.order_id)::int AS n, coalesce(-sum(e.amount_fen), 0)::int AS sum
         FROM journal_entries e JOIN journal_transactions t ON t.tenant_id = e.tenant_id AND t.id = e.transaction_id
        WHERE e.account = $1 AND e.amount_fen < 0`,
      [`technician_payable:${ids.techA}`],
    );
    expect(ledger.rows[0]!.sum).toBeGreaterThan(0);
    for (const period of ['day', 'week', 'month']) {
      const inc = await call('GET', a, `technician/income?period=${period}`, tok.techA);
      expect(inc.statusCode, inc.body).toBe(200);
      expect(inc.json().totalFen).toBe(ledger.rows[0]!.sum);
      expect(inc.json().totalCount).toBe(ledger.rows[0]!.n);
      expect(inc.json().balanceFen).toBe(ledger.rows[0]!.sum);
    }
    expect((await call('GET', a, 'technician/income?period=year', tok.techA)).json().fields[0].field).toBe('period');
  });

  it('到付: the list says what cash to collect until the technician confirms it', async () => {
    const c = await orderCustomer(f, t.app, a);
    // the day after tomorrow: the other tests book these technicians tomorrow
    const startAt = new Date(Date.parse(tomorrowAt(10)) + 86_400_000).toISOString();
    const cash = await bookOrder(t.app, storeA, c, { paymentMethod: 'on_arrival', technicianId: ids.techA!, startAt });
    const due = async (token: string | undefined, id: string) =>
      ((await call('GET', a, 'technician/orders', token)).json() as { id: string; cashDueFen: number }[]).find(
        (o) => o.id === id,
      )!.cashDueFen;
    expect(await due(tok.techA, cash.id)).toBe(cash.totalFen);
    const collected = await call('POST', a, `orders/${cash.id}/cash-collected`, tok.techA);
    expect(collected.statusCode, collected.body).toBe(200);
    expect(await due(tok.techA, cash.id)).toBe(0);
  });

  it('withdrawals: above the balance → 400 amountFen; approve → paid posts the payout; reject frees the amount', async () => {
    const inc = (await call('GET', a, 'technician/income', tok.techA)).json();
    const available: number = inc.availableFen;
    expect(available).toBeGreaterThan(0);
    const tooMuch = await call('POST', a, 'technician/withdrawals', tok.techA, { amountFen: available + 1 });
    expect(tooMuch.statusCode).toBe(400);
    expect(tooMuch.json().fields[0].field).toBe('amountFen');

    // a rejected request frees its amount again
    const small = await call('POST', a, 'technician/withdrawals', tok.techA, { amountFen: 1 });
    expect(small.statusCode, small.body).toBe(201);
    expect((await call('GET', a, 'technician/income', tok.techA)).json().availableFen).toBe(available - 1);
    const rej = await call('POST', a, `withdrawals/${small.json().id}/reject`, tok.ownerA, { reason: '信息不全' });
    expect(rej.json()).toMatchObject({ status: 'rejected', reason: '信息不全' });
    expect((await call('GET', a, 'technician/income', tok.techA)).json().availableFen).toBe(available);

    // parallel requests for the whole balance: exactly one fits
    const racing = await Promise.all(
      [1, 2, 3].map(() => call('POST', a, 'technician/withdrawals', tok.techA, { amountFen: available })),
    );
    expect(racing.map((r) => r.statusCode).sort()).toEqual([201, 400, 400]);
    const w = racing.find((r) => r.statusCode === 201)!.json();

    expect((await call('POST', a, `withdrawals/${w.id}/approve`, tok.staffA, {})).statusCode).toBe(403);
    expect((await call('POST', a, `withdrawals/${w.id}/approve`, tok.techA, {})).statusCode).toBe(403);
    expect((await call('POST', b, `withdrawals/${w.id}/approve`, tok.ownerB, {})).statusCode).toBe(404);
    expect((await call('POST', a, `withdrawals/${w.id}/paid`, tok.managerA, { reference: 'x' })).statusCode).toBe(409);
    expect((await call('POST', a, `withdrawals/${w.id}/approve`, tok.managerA, {})).json().status).toBe('approved');
    expect((await call('POST', a, `withdrawals/${w.id}/paid`, tok.managerA, {})).statusCode).toBe(400);
    const paid = await call('POST', a, `withdrawals/${w.id}/paid`, tok.managerA, { reference: 'BANK-20261125-1' });
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json().status).toBe('paid');
    const payout = await f.query<{ amount: number }>(
      `SELECT e.amount_fen::int AS amount FROM journal_entries e JOIN journal_transactions t
          ON t.tenant_id = e.tenant_id AND t.id = e.transaction_id
        WHERE t.kind = 'technician_payout' AND t.reference = $1 AND e.account = $2`,
      [w.id, `technician_payable:${ids.techA}`],
    );
    expect(payout.rows).toEqual([{ amount: available }]);
    const afterPay = (await call('GET', a, 'technician/income', tok.techA)).json();
    expect(afterPay.balanceFen).toBe(inc.balanceFen - available);
    expect(afterPay.totalFen).toBe(inc.totalFen); // earnings are unchanged by a payout

    expect((await call('POST', a, `withdrawals/${w.id}/reject`, tok.ownerA, {})).json().fields[0].field).toBe('reason');

    // the technician sees their own withdrawals only; others' → none
    const list = (await call('GET', a, 'withdrawals', tok.techA)).json();
    expect(list.map((x: { id: string }) => x.id)).toContain(w.id);
    expect((await call('GET', a, 'withdrawals', tok.tech2A)).json()).toEqual([]);
    expect((await call('POST', a, 'technician/withdrawals', tok.managerA, { amountFen: 1 })).statusCode).toBe(403);
    expect((await call('POST', a, 'technician/withdrawals', tok.techA, { amountFen: 0 })).json().fields[0].field).toBe(
      'amountFen',
    );
  });

  it('SOS reaches a connected staff client within a second, with the last known location', async () => {
    await f.query(`UPDATE technicians SET last_lat = 31.2, last_lng = 121.45, located_at = now() WHERE id = $1`, [
      ids.tech2A,
    ]);
    const staffStream = await openSse(`${base}/t/${a.slug}/api/events`, tok.staffA!);
    const otherStore = await openSse(`${base}/t/${b.slug}/api/events`, tok.ownerB!);
    streams.push(staffStream, otherStore);
    await new Promise((r) => setTimeout(r, 150));
    const sent = Date.now();
    const res = await call('POST', a, 'technician/sos', tok.tech2A, { note: '客户情绪激动' });
    expect(res.statusCode, res.body).toBe(201);
    const ev = await staffStream.next('sos', 1_000);
    expect(Date.now() - sent).toBeLessThan(1_000);
    expect(ev.data).toMatchObject({
      technicianId: ids.tech2A,
      lat: 31.2,
      lng: 121.45,
      locationSource: 'last_known',
      note: '客户情绪激动',
    });
    // a reported location wins
    await call('POST', a, 'technician/sos', tok.tech2A, { lat: 31.3, lng: 121.5 });
    expect((await staffStream.next('sos', 1_000)).data).toMatchObject({
      lat: 31.3,
      lng: 121.5,
      locationSource: 'reported',
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(otherStore.events.filter((e) => e.event === 'sos')).toEqual([]);
    // staff notifications (in-app) for every active staff member
    const notes = await f.query(
      `SELECT recipient_id FROM notifications WHERE template = 'staff.sos' AND tenant_id = $1`,
      [a.id],
    );
    expect(notes.rows.length).toBeGreaterThanOrEqual(6); // 3 staff × 2 alerts

    const listed = await call('GET', a, 'sos', tok.staffA);
    expect(listed.statusCode).toBe(200);
    const alert = listed.json().find((x: { locationSource: string }) => x.locationSource === 'last_known');
    expect(alert.status).toBe('open');
    expect((await call('POST', b, `sos/${alert.id}/ack`, tok.ownerB)).statusCode).toBe(404);
    expect((await call('POST', a, `sos/${alert.id}/ack`, tok.tech2A)).statusCode).toBe(403);
    const ack = await call('POST', a, `sos/${alert.id}/ack`, tok.staffA);
    expect(ack.json().status).toBe('acknowledged');
    expect((await call('GET', a, 'sos', tok.techA)).statusCode).toBe(403);
    expect((await call('POST', a, 'technician/sos', tok.staffA, {})).statusCode).toBe(403);
    expect((await call('POST', a, 'technician/sos', tok.techA, { lat: 91, lng: 0 })).json().fields[0].field).toBe(
      'lat',
    );
  });

  it('an overrun without check-out alerts connected staff', async () => {
    const order = await acceptedOrder(storeA, ids.tech2A!);
    const stream = await openSse(`${base}/t/${a.slug}/api/events`, tok.staffA!);
    streams.push(stream);
    await new Promise((r) => setTimeout(r, 150));
    await step(a, tok.tech2A!, order.id, 'depart');
    await step(a, tok.tech2A!, order.id, 'arrive', CENTRE);
    await f.query(
      `UPDATE orders SET start_at = now() - interval '80 minutes', end_at = now() - interval '20 minutes' WHERE id = $1`,
      [order.id],
    );
    expect((await step(a, tok.tech2A!, order.id, 'start')).statusCode).toBe(200);
    for (;;) {
      const ev = await stream.next('notification', 5_000);
      if ((ev.data as { template: string }).template === 'staff.overrun') break;
    }
  });

  it('cross-tenant and roles on every endpoint', async () => {
    const orderB = await acceptedOrder(storeB, ids.techB!);
    // A's technician with B's order ids → 404; A's token at B's path → 403
    for (const s of ['depart', 'start', 'complete']) {
      expect((await step(a, tok.techA!, orderB.id, s)).statusCode).toBe(404);
      expect((await step(b, tok.techA!, orderB.id, s)).statusCode).toBe(403);
    }
    expect((await step(a, tok.techA!, orderB.id, 'arrive', CENTRE)).statusCode).toBe(404);
    expect((await step(a, tok.techA!, NIL, 'depart')).statusCode).toBe(404);
    expect((await step(a, tok.techA!, orderB.id, 'extensions', { units: 1 })).statusCode).toBe(404);
    expect((await step(b, tok.techA!, orderB.id, 'extensions', { units: 1 })).statusCode).toBe(403);
    const extB = await f.query<{ id: string }>(
      `INSERT INTO order_extensions (tenant_id, order_id, minutes, amount_fen, status)
       VALUES ($1, $2, 30, 9800, 'proposed') RETURNING id`,
      [b.id, orderB.id],
    );
    const confirmB = `orders/${orderB.id}/extensions/${extB.rows[0]!.id}/confirm`;
    expect((await call('POST', a, confirmB, tok.customerA)).statusCode).toBe(404);
    expect((await call('POST', b, confirmB, tok.customerA)).statusCode).toBe(403);
    expect((await step(a, tok.customerA!, orderB.id, 'extensions', { units: 1 })).statusCode).toBe(403);
    const range = await call(
      'GET',
      a,
      'technician/income?from=2026-11-25T00:00:00Z&to=2026-11-01T00:00:00Z',
      tok.techA,
    );
    expect(range.json().fields[0].field).toBe('from');
    expect((await call('GET', a, 'technician/income?to=yesterday', tok.techA)).json().fields[0].field).toBe('to');
    expect(
      (await call('GET', a, 'technician/orders', tok.techA)).json().map((o: { id: string }) => o.id),
    ).not.toContain(orderB.id);
    for (const [method, path, payload] of [
      ['GET', 'technician/orders', undefined],
      ['GET', 'technician/income', undefined],
      ['POST', 'technician/sos', {}],
      ['POST', 'technician/withdrawals', { amountFen: 1 }],
      ['GET', 'sos', undefined],
      ['GET', 'withdrawals', undefined],
    ] as const) {
      expect((await call(method, b, path, tok.techA, payload)).statusCode, path).toBe(403);
      expect((await call(method, a, path, undefined, payload)).statusCode, path).toBe(401);
    }
    // staff and customers cannot use the technician app
    for (const who of ['ownerA', 'staffA', 'customerA']) {
      expect((await call('GET', a, 'technician/orders', tok[who])).statusCode, who).toBe(403);
      expect((await call('GET', a, 'technician/income', tok[who])).statusCode, who).toBe(403);
      expect((await step(a, tok[who]!, orderB.id, 'depart')).statusCode, who).toBe(403);
    }
    expect((await call('GET', a, 'sos', tok.customerA)).statusCode).toBe(403);
    expect((await call('GET', a, 'withdrawals', tok.customerA)).statusCode).toBe(403);
    // B's withdrawal/SOS ids from A → 404
    const wB = await f.query<{ id: string }>(
      `INSERT INTO withdrawals (tenant_id, technician_id, amount_fen) VALUES ($1, $2, 100) RETURNING id`,
      [b.id, ids.techB],
    );
    const sB = await f.query<{ id: string }>(
      `INSERT INTO sos_alerts (tenant_id, technician_id, location_source) VALUES ($1, $2, 'none') RETURNING id`,
      [b.id, ids.techB],
    );
    const bodies: Record<string, object> = { approve: {}, reject: { reason: 'x' }, paid: { reference: 'x' } };
    for (const s of ['approve', 'reject', 'paid']) {
      const r = await call('POST', a, `withdrawals/${wB.rows[0]!.id}/${s}`, tok.ownerA, bodies[s]);
      expect(r.statusCode, s).toBe(404);
      expect((await call('POST', b, `withdrawals/${wB.rows[0]!.id}/${s}`, tok.ownerA, {})).statusCode).toBe(403);
    }
    expect((await call('POST', a, `sos/${sB.rows[0]!.id}/ack`, tok.ownerA)).statusCode).toBe(404);
    expect((await call('GET', a, 'sos', tok.ownerA)).json().map((x: { id: string }) => x.id)).not.toContain(
      sB.rows[0]!.id,
    );
    expect((await call('POST', a, `withdrawals/${NIL}/reject`, tok.ownerA, {})).statusCode).toBe(400);
  });
});
