import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paymentReceived } from '../src/modules/ledger/ledger-postings';
import { LedgerService } from '../src/modules/ledger/ledger.service';
import { PoolSettlementService } from '../src/modules/shared-pool/pool-settlement.service';
import { TenantContext } from '../src/platform/database/tenant-context';
import { Factory, type TestTenant } from './support/factories';
import { dispatchingOrder, grabStore, onDutyTechnicians, slotStart, type GrabStore } from './support/grab-fixtures';
import { CENTRE } from './support/order-fixtures';
import { topUpWallet } from './support/payment-fixtures';
import { openSse } from './support/sse-client';
import { createTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';

describe('shared pool (共享订单池)', () => {
  let db: TestDatabase;
  let t: TestApp;
  let f: Factory;
  let giver: GrabStore; // gives orders to the pool
  let taker: TestTenant; // takes
  let outsider: GrabStore; // did not opt in
  let operator: string;
  let giverOwner: string;
  let outsiderOwner: string;
  let base: string;
  const streams: Array<{ close: () => void }> = [];

  const req = (method: 'GET' | 'POST' | 'PUT', url: string, token?: string, payload?: object) =>
    t.app.inject({ method, url, payload, headers: token ? { authorization: `Bearer ${token}` } : {} });
  const setRole = (tenantId: string, role: string) =>
    f.query(
      `INSERT INTO dispatch_settings (tenant_id, pool_participation) VALUES ($1, $2)
       ON CONFLICT (tenant_id) DO UPDATE SET pool_participation = EXCLUDED.pool_participation`,
      [tenantId, role],
    );

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await createTestApp(db, { RUN_WORKERS: 'false' });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.getHttpServer().address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    f = await Factory.create(db, t.app);
    giver = await grabStore(f, t.app, await f.newTenant());
    taker = await f.newTenant();
    outsider = await grabStore(f, t.app, await f.newTenant());
    await setRole(giver.tenant.id, 'giver');
    await setRole(taker.id, 'taker');
    await f.query(
      `INSERT INTO service_addons (tenant_id, service_id, kind, name_zh, price_fen, minutes, max_quantity)
       VALUES ($1, $2, 'extension', '加钟30分钟', 9800, 30, 2)`,
      [giver.tenant.id, giver.serviceId],
    );
    const op = await f.newOperator();
    operator = await f.token({ id: op.id, role: 'platform_operator', tenantId: null });
    const o1 = await f.newStaff(giver.tenant);
    giverOwner = await f.token({ id: o1.id, role: 'tenant_owner', tenantId: giver.tenant.id });
    const o2 = await f.newStaff(outsider.tenant);
    outsiderOwner = await f.token({ id: o2.id, role: 'tenant_owner', tenantId: outsider.tenant.id });
  }, 60_000);
  afterAll(async () => {
    for (const x of streams) x.close();
    await f?.close();
    await t?.close();
    await db?.drop();
  });

  it('operators manage the platform setting; stores cannot; bad input names the field', async () => {
    expect((await req('GET', '/api/platform/settings/shared-pool', operator)).json()).toMatchObject({
      sharedPoolEnabled: false,
      poolTakerShareBps: 8000,
    });
    expect(
      (await req('PUT', '/api/platform/settings/shared-pool', giverOwner, { sharedPoolEnabled: true })).statusCode,
    ).toBe(403);
    const bad = await req('PUT', '/api/platform/settings/shared-pool', operator, { poolTakerShareBps: 20000 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields[0].field).toBe('poolTakerShareBps');
    // off: nothing can be published
    const orderId = await dispatchingOrder(f, t.app, giver, { startAt: slotStart(1) });
    const off = await req('POST', `/t/${giver.tenant.slug}/api/shared-pool/orders/${orderId}/publish`, giverOwner);
    expect(off.statusCode).toBe(403);
    expect(off.json().code).toBe('POOL_NOT_ALLOWED');
    const on = await req('PUT', '/api/platform/settings/shared-pool', operator, { sharedPoolEnabled: true });
    expect(on.statusCode).toBe(200);
    expect(on.json().sharedPoolEnabled).toBe(true);
    const audit = await f.query(`SELECT 1 FROM platform_audit_events WHERE action = 'platform.settings.shared_pool'`);
    expect(audit.rowCount).toBe(1);
  });

  it('one winner; before the claim no phone or address; the holder sees them (masked phone) while running the whole trip through the platform path; after the order ends they are gone', async () => {
    const orderId = await dispatchingOrder(f, t.app, giver, {
      startAt: slotStart(2),
      at: { lat: 31.2345, lng: 121.4801 },
    });
    const techs = await onDutyTechnicians(f, taker, 10);
    const [outsiderTech] = await onDutyTechnicians(f, outsider.tenant, 1);
    const live = await openSse(`${base}/t/${taker.slug}/api/events`, techs[0]!.token);
    const outsiderLive = await openSse(`${base}/t/${outsider.tenant.slug}/api/events`, outsiderTech!.token);
    await new Promise((r) => setTimeout(r, 100));
    const pub = await req('POST', `/t/${giver.tenant.slug}/api/shared-pool/orders/${orderId}/publish`, giverOwner);
    expect(pub.statusCode, pub.body).toBe(200);
    expect(pub.json()).toMatchObject({ status: 'open', takerShareFen: 15840 });
    const offerId = pub.json().offerId as string;
    // pushed live to the taking store's technicians, with the minimum only; not to the outsider
    const pushed = await live.next('pool.offer');
    expect(pushed.data).toMatchObject({
      offerId,
      serviceName: '全身推拿',
      area: { lat: 31.23, lng: 121.48 },
      earningFen: 15840,
    });
    expect(JSON.stringify(pushed.data)).not.toMatch(/138\d{8}|138\*{4}|人民大道|8栋|31\.2345|orderId|tenant/i);
    await new Promise((r) => setTimeout(r, 200));
    expect(outsiderLive.events.filter((e) => e.event === 'pool.offer')).toEqual([]);
    live.close();
    outsiderLive.close();
    const near = await req(
      'GET',
      `/t/${taker.slug}/api/shared-pool/offers-near-me?lat=${CENTRE.lat}&lng=${CENTRE.lng}&radius=5000`,
      techs[0]!.token,
    );
    expect(near.statusCode).toBe(200);
    const offer = (near.json() as Array<Record<string, unknown>>).find((o) => o.offerId === offerId)!;
    expect(offer).toMatchObject({ serviceName: '全身推拿', area: { lat: 31.23, lng: 121.48 }, earningFen: 15840 });
    expect(near.body).not.toMatch(/138\d{8}|138\*{4}|人民大道|8栋|31\.2345|orderId|tenant|giving/i);
    const before = await req('GET', `/t/${taker.slug}/api/shared-pool/offers/${offerId}/contact`, techs[0]!.token);
    expect(before.statusCode).toBe(404);

    // ten technicians of the taking store claim at once: exactly one wins
    const results = await Promise.all(
      techs.map((x) => req('POST', `/t/${taker.slug}/api/shared-pool/offers/${offerId}/claim`, x.token)),
    );
    const winners = results.filter((r) => r.statusCode === 200);
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => r.statusCode === 409 && r.json().code === 'ALREADY_TAKEN')).toHaveLength(9);
    const winner = techs[results.findIndex((r) => r.statusCode === 200)]!;
    const loser = techs.find((x) => x !== winner)!;

    const contact = await req('GET', `/t/${taker.slug}/api/shared-pool/offers/${offerId}/contact`, winner.token);
    expect(contact.statusCode, contact.body).toBe(200);
    expect(contact.json()).toMatchObject({
      addressText: '上海市黄浦区人民大道200号',
      houseNumber: '8栋1802室',
      phoneMasked: '138****5678',
      orderStatus: 'accepted', // the claim is the acceptance
    });
    expect(contact.body).not.toContain('13812345678');
    expect(
      (await req('GET', `/t/${taker.slug}/api/shared-pool/offers/${offerId}/contact`, loser.token)).statusCode,
    ).toBe(404);

    // the giving store's order is assigned and accepted, naming only the pool offer; the taker's time is held
    const order = await f.query(`SELECT status, technician_id FROM orders WHERE id = $1`, [orderId]);
    expect(order.rows[0]).toEqual({ status: 'accepted', technician_id: null });
    const ev = await f.query(`SELECT details FROM order_events WHERE order_id = $1 AND event = 'assign'`, [orderId]);
    expect(ev.rows[0]!.details).toMatchObject({ via: 'shared_pool', poolOfferId: offerId, takerShareFen: 15840 });
    const accepted = await f.query(`SELECT reason FROM order_events WHERE order_id = $1 AND event = 'accept'`, [
      orderId,
    ]);
    expect(accepted.rows).toEqual([{ reason: 'claimed' }]);
    const taken = await f.query(`SELECT kind, details FROM dispatch_log WHERE order_id = $1`, [orderId]);
    expect(taken.rows).toEqual([{ kind: 'pool_taken', details: { poolOfferId: offerId, takerShareFen: 15840 } }]);
    const hold = await f.query(`SELECT 1 FROM technician_busy WHERE tenant_id = $1 AND technician_id = $2 AND active`, [
      taker.id,
      winner.id,
    ]);
    expect(hold.rowCount).toBe(1);
    const audit = await f.query(`SELECT actor_id FROM platform_audit_events WHERE action = 'shared_pool.claim'`);
    expect(audit.rows).toEqual([{ actor_id: winner.id }]);

    // the trip, step by step, on the giving store's order; its customer follows it live
    const giverCustomer = await f.token({ id: giver.customerId, role: 'customer', tenantId: giver.tenant.id });
    const follow = await openSse(`${base}/t/${giver.tenant.slug}/api/events`, giverCustomer);
    streams.push(follow);
    await new Promise((r) => setTimeout(r, 100));
    const work = (step: string, who = winner.token, payload?: object) =>
      req('POST', `/t/${taker.slug}/api/shared-pool/offers/${offerId}/${step}`, who, payload ?? {});
    const early = await work('start');
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('ILLEGAL_TRANSITION');
    expect((await work('depart', loser.token)).statusCode).toBe(404); // not the holder
    const [giverTech] = await onDutyTechnicians(f, giver.tenant, 1);
    const fromGiver = await req(
      'POST',
      `/t/${giver.tenant.slug}/api/shared-pool/offers/${offerId}/depart`,
      giverTech!.token,
    );
    expect(fromGiver.statusCode).toBe(404);
    expect((await work('depart')).json()).toEqual({ offerId, orderStatus: 'departed' });
    expect((await follow.next('order.status')).data).toMatchObject({ orderId, event: 'depart', to: 'departed' });
    expect((await work('depart')).statusCode).toBe(409);
    const far = await work('arrive', winner.token, { lat: 31.2445, lng: 121.4801 });
    expect(far.statusCode).toBe(400);
    expect(
      far
        .json()
        .fields.map((x: { field: string }) => x.field)
        .sort(),
    ).toEqual(['lat', 'lng']);
    expect((await work('arrive', winner.token, { lat: 31.2346, lng: 121.4801 })).json().orderStatus).toBe('arrived');
    expect((await follow.next('order.status')).data).toMatchObject({ event: 'arrive', to: 'arrived' });
    expect((await work('start')).json().orderStatus).toBe('in_service');
    expect((await follow.next('order.status')).data).toMatchObject({ event: 'start_service', to: 'in_service' });
    // 加钟: proposed by the holder, priced and confirmed in the giving store; the holder's time grows
    expect((await work('extensions', winner.token, { units: 3 })).json().fields[0].field).toBe('units');
    const proposed = await work('extensions', winner.token, { units: 1 });
    expect(proposed.statusCode, proposed.body).toBe(201);
    expect(proposed.json()).toMatchObject({ offerId, minutes: 30, amountFen: 9800, status: 'proposed' });
    expect((await follow.next('order.extension_proposed')).data).toMatchObject({ orderId, minutes: 30 });
    const confirmed = await req(
      'POST',
      `/t/${giver.tenant.slug}/api/orders/${orderId}/extensions/${proposed.json().id}/confirm`,
      giverCustomer,
    );
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const ends = await f.query<{ order_end: Date; hold_end: Date }>(
      `SELECT o.end_at AS order_end, upper(b.during) AS hold_end FROM orders o, technician_busy b
        WHERE o.id = $1 AND b.tenant_id = $2 AND b.technician_id = $3 AND b.active`,
      [orderId, taker.id, winner.id],
    );
    expect(ends.rows[0]!.hold_end.getTime()).toBe(ends.rows[0]!.order_end.getTime());
    expect((await follow.next('order.status')).data).toMatchObject({ event: 'extend', to: 'in_service' });
    expect((await work('complete')).json().orderStatus).toBe('completed');
    expect((await follow.next('order.status')).data).toMatchObject({ event: 'complete', to: 'completed' });
    const events = await f.query(`SELECT event FROM order_events WHERE order_id = $1 ORDER BY created_at, event`, [
      orderId,
    ]);
    expect(events.rows.map((r) => r.event)).toEqual(
      expect.arrayContaining(['assign', 'accept', 'depart', 'arrive', 'start_service', 'extend', 'complete']),
    );
    const audited = await f.query<{ action: string }>(
      `SELECT action FROM platform_audit_events WHERE target_id = $1 AND action LIKE 'shared_pool.order.%'
        ORDER BY created_at`,
      [offerId],
    );
    expect(audited.rows.map((r) => r.action)).toEqual([
      'shared_pool.order.depart',
      'shared_pool.order.arrive',
      'shared_pool.order.start_service',
      'shared_pool.order.extension_proposed',
      'shared_pool.order.extended',
      'shared_pool.order.complete',
    ]);

    // the order has ended: the address is gone from the holder's view
    expect(
      (await req('GET', `/t/${taker.slug}/api/shared-pool/offers/${offerId}/contact`, winner.token)).statusCode,
    ).toBe(404);
    expect((await work('start')).statusCode).toBe(409);
    const held = await req('GET', `/t/${taker.slug}/api/shared-pool/offers/held`, winner.token);
    expect(held.json()).toEqual([expect.objectContaining({ offerId, orderStatus: 'completed', earningFen: 15840 })]);
    expect(held.body).not.toMatch(/人民大道|138/);
  });

  it('a held pool order cancelled by the giving store: the holder’s time is given back and they are told; others cannot work it', async () => {
    const orderId = await dispatchingOrder(f, t.app, giver, { startAt: slotStart(5) });
    const offerId = (
      await req('POST', `/t/${giver.tenant.slug}/api/shared-pool/orders/${orderId}/publish`, giverOwner)
    ).json().offerId as string;
    const [holder] = await onDutyTechnicians(f, taker, 1);
    const [home] = await onDutyTechnicians(f, giver.tenant, 1);
    const hall = await openSse(`${base}/t/${giver.tenant.slug}/api/events`, home!.token);
    streams.push(hall);
    await new Promise((r) => setTimeout(r, 100));
    expect(
      (await req('POST', `/t/${taker.slug}/api/shared-pool/offers/${offerId}/claim`, holder!.token)).statusCode,
    ).toBe(200);
    // the giving store's technicians hear it is gone from their grab hall (the id only)
    expect(Object.keys((await hall.next('grab.taken')).data as object).sort()).toEqual(['at', 'orderId', 'takenAt']);
    const work = (step: string, token: string, slug = taker.slug) =>
      req('POST', `/t/${slug}/api/shared-pool/offers/${offerId}/${step}`, token, {});
    const takerOwner = await f.newStaff(taker);
    const takerOwnerToken = await f.token({ id: takerOwner.id, role: 'tenant_owner', tenantId: taker.id });
    const giverCustomer = await f.token({ id: giver.customerId, role: 'customer', tenantId: giver.tenant.id });
    expect((await work('depart', takerOwnerToken)).statusCode).toBe(403); // staff do not run trips
    expect((await work('depart', giverCustomer)).statusCode).toBe(403); // another store's token
    expect((await work('depart', holder!.token, giver.tenant.slug)).statusCode).toBe(403);
    expect((await work('depart', holder!.token)).json().orderStatus).toBe('departed');

    const told = await openSse(`${base}/t/${taker.slug}/api/events`, holder!.token);
    streams.push(told);
    await new Promise((r) => setTimeout(r, 100));
    const cancelled = await req('POST', `/t/${giver.tenant.slug}/api/orders/${orderId}/cancel`, giverOwner, {
      reason: '顾客取消',
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect((await told.next('pool.order_cancelled')).data).toMatchObject({ offerId });
    const hold = await f.query(`SELECT active FROM technician_busy WHERE tenant_id = $1 AND technician_id = $2`, [
      taker.id,
      holder!.id,
    ]);
    expect(hold.rows).toEqual([{ active: false }]);
    expect(
      (await req('GET', `/t/${taker.slug}/api/shared-pool/offers/${offerId}/contact`, holder!.token)).statusCode,
    ).toBe(404);
    expect((await work('arrive', holder!.token)).statusCode).toBe(400); // lat/lng missing
    const late = await req('POST', `/t/${taker.slug}/api/shared-pool/offers/${offerId}/arrive`, holder!.token, {
      lat: 31.2304,
      lng: 121.4737,
    });
    expect(late.statusCode).toBe(404); // the address is gone with the order
    const audit = await f.query(
      `SELECT 1 FROM platform_audit_events WHERE action = 'shared_pool.order.cancelled' AND target_id = $1`,
      [offerId],
    );
    expect(audit.rowCount).toBe(1);
  });

  it('completion settles both ledgers once: the giving store owes the share, the taking store earns it and pays its technician; income equals the ledger', async () => {
    const orderId = await dispatchingOrder(f, t.app, giver, {
      startAt: slotStart(6),
      at: { lat: 31.2345, lng: 121.4801 },
    });
    // the customer paid 198.00 from their wallet (the ledger holds it on the order)
    const ctx = t.app.get(TenantContext);
    await topUpWallet(t.app, giver.tenant.id, giver.customerId, 19800 + 9800);
    await ctx.run(giver.tenant.id, () =>
      t.app.get(LedgerService).post(
        paymentReceived({
          source: { kind: 'wallet', customerId: giver.customerId },
          paymentId: `pay-${orderId}`,
          orderId,
          amountFen: 19800,
        }),
      ),
    );
    const offerId = (
      await req('POST', `/t/${giver.tenant.slug}/api/shared-pool/orders/${orderId}/publish`, giverOwner)
    ).json().offerId as string;
    const [holder] = await onDutyTechnicians(f, taker, 1);
    expect(
      (await req('POST', `/t/${taker.slug}/api/shared-pool/offers/${offerId}/claim`, holder!.token)).statusCode,
    ).toBe(200);
    const work = (step: string, payload: object = {}) =>
      req('POST', `/t/${taker.slug}/api/shared-pool/offers/${offerId}/${step}`, holder!.token, payload);
    await work('depart');
    await work('arrive', { lat: 31.2345, lng: 121.4801 });
    await work('start');
    // a 加钟 of 30 min (98.00), confirmed and paid by the giving store's customer
    const ext = (await work('extensions', { units: 1 })).json().id as string;
    const giverCustomer = await f.token({ id: giver.customerId, role: 'customer', tenantId: giver.tenant.id });
    const path = `/t/${giver.tenant.slug}/api/orders/${orderId}/extensions/${ext}`;
    expect((await req('POST', `${path}/confirm`, giverCustomer)).statusCode).toBe(200);
    const paid = await req('POST', `${path}/pay`, giverCustomer, { method: 'balance' });
    expect(paid.statusCode, paid.body).toBe(200);
    expect((await work('complete')).json().orderStatus).toBe('completed');

    // the agreed share: 80% of the price (15840) and of the paid 加钟 (7840)
    const share = 15840 + 7840;
    const heldFen = 19800 + 9800;
    const feeFen = Math.floor((heldFen * 500) / 10_000);
    const earning = Math.floor((share * 5000) / 10_000); // the taking store's default rate, no tier
    const lines = async (tenantId: string) =>
      Object.fromEntries(
        (
          await f.query<{ account: string; amount: string }>(
            `SELECT e.account, e.amount_fen AS amount FROM journal_entries e
               JOIN journal_transactions t ON t.tenant_id = e.tenant_id AND t.id = e.transaction_id
              WHERE t.tenant_id = $1 AND t.kind = 'pool_settlement' AND t.reference = $2`,
            [tenantId, offerId],
          )
        ).rows.map((r) => [r.account, Number(r.amount)]),
      );
    expect(await lines(giver.tenant.id)).toEqual({
      [`order_liability:${orderId}`]: heldFen,
      platform_fee: -feeFen,
      store_revenue: -(heldFen - feeFen),
      pool_expense: share,
      pool_payable: -share,
    });
    expect(await lines(taker.id)).toEqual({
      pool_receivable: share,
      [`technician_payable:${holder!.id}`]: -earning,
      pool_revenue: -(share - earning),
    });
    const balanced = async (tenantId: string) =>
      (
        await f.query<{ total: string; unbalanced: string }>(
          `SELECT coalesce(sum(amount_fen), 0) AS total,
                  (SELECT count(*) FROM (SELECT 1 FROM journal_entries WHERE tenant_id = $1
                                          GROUP BY transaction_id HAVING sum(amount_fen) <> 0) u) AS unbalanced
             FROM journal_entries WHERE tenant_id = $1`,
          [tenantId],
        )
      ).rows[0];
    expect(await balanced(giver.tenant.id)).toEqual({ total: '0', unbalanced: '0' });
    expect(await balanced(taker.id)).toEqual({ total: '0', unbalanced: '0' });
    const liability = await f.query<{ n: string }>(
      `SELECT coalesce(sum(amount_fen), 0) AS n FROM journal_entries WHERE tenant_id = $1 AND account = $2`,
      [giver.tenant.id, `order_liability:${orderId}`],
    );
    expect(liability.rows[0]!.n).toBe('0'); // everything the order held is earned

    // replaying the completion, or settling again, posts nothing more in either store
    const count = async () =>
      (await f.query<{ n: string }>(`SELECT count(*) AS n FROM journal_transactions WHERE kind = 'pool_settlement'`))
        .rows[0]!.n;
    const before = await count();
    expect((await work('complete')).statusCode).toBe(409);
    const again = await ctx.run(taker.id, () =>
      t.app.get(PoolSettlementService).settle(offerId, holder!.id, { type: 'system', id: null }),
    );
    expect(again).toEqual({ shareFen: share });
    expect(await count()).toBe(before);
    const settles = await f.query(
      `SELECT 1 FROM platform_audit_events WHERE action = 'shared_pool.settle' AND target_id = $1`,
      [offerId],
    );
    expect(settles.rowCount).toBe(1);

    // the holder's income is their ledger: the earning, in their own store
    const income = await req('GET', `/t/${taker.slug}/api/technician/income?period=day`, holder!.token);
    expect(income.statusCode, income.body).toBe(200);
    expect(income.json()).toMatchObject({ totalFen: earning, balanceFen: earning, totalCount: 1 });
  });

  it('stores that did not opt in never see or take pool orders, nor publish', async () => {
    const orderId = await dispatchingOrder(f, t.app, giver, { startAt: slotStart(3) });
    const offerId = (
      await req('POST', `/t/${giver.tenant.slug}/api/shared-pool/orders/${orderId}/publish`, giverOwner)
    ).json().offerId as string;
    const [outsiderTech] = await onDutyTechnicians(f, outsider.tenant, 1);
    const [giverTech] = await onDutyTechnicians(f, giver.tenant, 1);
    for (const [slug, who] of [
      [outsider.tenant.slug, outsiderTech!],
      [giver.tenant.slug, giverTech!], // a giver only, and its own offer besides
    ] as const) {
      const near = await req(
        'GET',
        `/t/${slug}/api/shared-pool/offers-near-me?lat=${CENTRE.lat}&lng=${CENTRE.lng}`,
        who.token,
      );
      expect(near.statusCode).toBe(200);
      expect(near.json()).toEqual([]);
      const claim = await req('POST', `/t/${slug}/api/shared-pool/offers/${offerId}/claim`, who.token);
      expect(claim.statusCode).toBe(403);
    }
    const own = await dispatchingOrder(f, t.app, outsider, { startAt: slotStart(3) });
    const pub = await req('POST', `/t/${outsider.tenant.slug}/api/shared-pool/orders/${own}/publish`, outsiderOwner);
    expect(pub.statusCode).toBe(403);
    // a giver that leaves takes its open offers out of sight
    await setRole(giver.tenant.id, 'none');
    const [takerTech] = await onDutyTechnicians(f, taker, 1);
    const gone = await req(
      'GET',
      `/t/${taker.slug}/api/shared-pool/offers-near-me?lat=${CENTRE.lat}&lng=${CENTRE.lng}`,
      takerTech!.token,
    );
    expect(gone.json()).toEqual([]);
    expect(
      (await req('POST', `/t/${taker.slug}/api/shared-pool/offers/${offerId}/claim`, takerTech!.token)).statusCode,
    ).toBe(409);
    await setRole(giver.tenant.id, 'giver');
  });

  it('roles and cross-store: customers and staff cannot take, staff cannot publish, tokens of another store are refused', async () => {
    const orderId = await dispatchingOrder(f, t.app, giver, { startAt: slotStart(4) });
    const staff = await f.newStaff(giver.tenant, { role: 'store_staff' });
    const staffToken = await f.token({ id: staff.id, role: 'store_staff', tenantId: giver.tenant.id });
    expect(
      (await req('POST', `/t/${giver.tenant.slug}/api/shared-pool/orders/${orderId}/publish`, staffToken)).statusCode,
    ).toBe(403);
    const offerId = (
      await req('POST', `/t/${giver.tenant.slug}/api/shared-pool/orders/${orderId}/publish`, giverOwner)
    ).json().offerId as string;
    const customer = await f.token({ id: giver.customerId, role: 'customer', tenantId: taker.id });
    expect((await req('POST', `/t/${taker.slug}/api/shared-pool/offers/${offerId}/claim`, customer)).statusCode).toBe(
      403,
    );
    expect(
      (await req('GET', `/t/${taker.slug}/api/shared-pool/offers-near-me?lat=31&lng=121`, customer)).statusCode,
    ).toBe(403);
    // the giver's owner publishing at another store's path, or a store's order id published elsewhere
    expect(
      (await req('POST', `/t/${taker.slug}/api/shared-pool/orders/${orderId}/publish`, giverOwner)).statusCode,
    ).toBe(403);
    const takerOwner = await f.newStaff(taker);
    const takerOwnerToken = await f.token({ id: takerOwner.id, role: 'tenant_owner', tenantId: taker.id });
    const foreign = await req('POST', `/t/${taker.slug}/api/shared-pool/orders/${orderId}/publish`, takerOwnerToken);
    expect(foreign.statusCode).toBe(403); // the taker is not a giver: refused before any lookup
    await setRole(taker.id, 'both');
    const unknown = await req('POST', `/t/${taker.slug}/api/shared-pool/orders/${orderId}/publish`, takerOwnerToken);
    expect(unknown.statusCode).toBe(404);
    await setRole(taker.id, 'taker');
    const bad = await req('POST', `/t/${taker.slug}/api/shared-pool/offers/nope/claim`, takerOwnerToken);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields[0].field).toBe('id');
    expect((await req('GET', `/t/${giver.tenant.slug}/api/shared-pool/participation`, giverOwner)).json()).toEqual({
      role: 'giver',
    });
  });
});
