import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Factory, type TestTenant } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { orderCustomer, orderStore, type OrderStore } from './support/order-fixtures';
import { bookOrder, nextStart, storeCaller, topUpWallet } from './support/payment-fixtures';
import { makeAlipayTestMerchant, makeWechatTestMerchant, type WechatTestMerchant } from './support/payment-signers';

/** GET /api/payment-methods: what each store's checkout offers, from its own configuration only. */
describe('payments: the methods a store offers', () => {
  let db: TestDatabase;
  let t: TestApp;
  let f: Factory;
  let a: TestTenant;
  let b: TestTenant;
  let storeA: OrderStore;
  let storeB: OrderStore;
  let call: ReturnType<typeof storeCaller>;
  let wx: WechatTestMerchant;
  const tok: Record<string, string> = {};

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await createTestApp(db, { DB_POOL_MAX: '8', RUN_WORKERS: 'false' });
    f = await Factory.create(db, t.app);
    call = storeCaller(t.app);
    a = await f.newTenant();
    b = await f.newTenant();
    storeA = await orderStore(f, a);
    storeB = await orderStore(f, b);
    for (const [name, tenant, role] of [
      ['ownerA', a, 'tenant_owner'],
      ['managerA', a, 'store_manager'],
      ['staffA', a, 'store_staff'],
      ['ownerB', b, 'tenant_owner'],
    ] as const) {
      const s = await f.newStaff(tenant, { role });
      tok[name] = await f.token({ id: s.id, role, tenantId: tenant.id });
    }
    // A: WeChat enabled, Alipay configured but switched off. B: no merchant account at all.
    wx = makeWechatTestMerchant({ mchId: '1900000101' });
    const ali = makeAlipayTestMerchant({ sellerId: '2088101106499364' });
    for (const [provider, config, enabled] of [
      ['wechat', wx.credentials, true],
      ['alipay', ali.credentials, false],
    ] as const) {
      const res = await call('PUT', a, `payments/merchants/${provider}`, tok.ownerA!, { config, enabled });
      expect(res.statusCode, res.body).toBe(200);
    }
  });
  afterAll(async () => {
    await f?.close();
    await t?.close();
    await db?.drop();
  });

  const offered = async (tenant: TestTenant, token?: string) => {
    const res = await call('GET', tenant, 'payment-methods', token);
    expect(res.statusCode, res.body).toBe(200);
    return res;
  };
  const names = (res: { json(): { methods: { method: string }[] } }) => res.json().methods.map((m) => m.method);

  it('each store lists its own methods: A its enabled WeChat account, B none of A’s; no merchant data in the answer', async () => {
    const resA = await offered(a);
    expect(names(resA)).toEqual(['wechat', 'on_arrival', 'sandbox']);
    const resB = await offered(b);
    expect(names(resB)).toEqual(['on_arrival', 'sandbox']);
    for (const res of [resA, resB]) {
      for (const m of res.json().methods as Record<string, unknown>[]) {
        expect(Object.keys(m).every((k) => k === 'method' || k === 'balanceFen')).toBe(true);
      }
      expect(res.body).not.toMatch(/PRIVATE KEY|CERTIFICATE|config|merchantId|apiV3Key|1900000101|2088101106499364/);
      expect(res.body).not.toContain(wx.credentials.apiV3Key);
    }
  });

  it('balance only for a signed-in customer who has some, with the amount; A’s customer token at B → 403', async () => {
    const rich = await orderCustomer(f, t.app, a);
    const poor = await orderCustomer(f, t.app, a);
    await topUpWallet(t.app, a.id, rich.id, 12_345);
    expect((await offered(a, rich.token)).json().methods).toContainEqual({ method: 'balance', balanceFen: 12_345 });
    expect(names(await offered(a, poor.token))).not.toContain('balance');
    expect(names(await offered(a, tok.ownerA))).not.toContain('balance');
    expect((await call('GET', b, 'payment-methods', rich.token)).statusCode).toBe(403);
  });

  it('switching 到付 and the sandbox off: they leave A’s list (not B’s), booking 到付 → 400 on paymentMethod, paying by sandbox → 400', async () => {
    const c = await orderCustomer(f, t.app, a);
    const sandboxOrder = await bookOrder(t.app, storeA, c, { paymentMethod: 'sandbox' });

    const put = await call('PUT', a, 'payments/settings', tok.ownerA!, {
      onArrivalEnabled: false,
      sandboxEnabled: false,
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ onArrivalEnabled: false, sandboxEnabled: false });
    expect(names(await offered(a))).toEqual(['wechat']);
    expect(names(await offered(b))).toEqual(['on_arrival', 'sandbox']);

    const q = await call('POST', a, 'quotes', c.token, {
      serviceId: storeA.serviceId,
      durationMinutes: 60,
      addons: [],
      addressId: c.addressId,
      startAt: nextStart(),
    });
    expect(q.statusCode, q.body).toBe(201);
    const booked = await call(
      'POST',
      a,
      'orders',
      c.token,
      { quoteId: q.json().id, paymentMethod: 'on_arrival' },
      { 'idempotency-key': randomUUID() },
    );
    expect(booked.statusCode).toBe(400);
    expect(booked.json()).toMatchObject({ code: 'PAYMENT_METHOD_UNAVAILABLE' });
    expect(booked.json().fields[0].field).toBe('paymentMethod');
    const pay = await call('POST', a, `orders/${sandboxOrder.id}/pay`, c.token, { method: 'sandbox' });
    expect(pay.statusCode).toBe(400);
    expect(pay.json().code).toBe('PAYMENT_METHOD_UNAVAILABLE');
    // B still books 到付
    const cb = await orderCustomer(f, t.app, b);
    await bookOrder(t.app, storeB, cb, { paymentMethod: 'on_arrival' }); // asserts 201

    // back on; an omitted field keeps its value
    const on = await call('PUT', a, 'payments/settings', tok.ownerA!, { sandboxEnabled: true });
    expect(on.json()).toMatchObject({ onArrivalEnabled: false, sandboxEnabled: true });
    expect(names(await offered(a))).toEqual(['wechat', 'sandbox']);
    await call('PUT', a, 'payments/settings', tok.ownerA!, { onArrivalEnabled: true });
  });

  it('payment settings: owner only (manager, staff, customer 403; another store’s owner 403); invalid values → 400 naming the field', async () => {
    const c = await orderCustomer(f, t.app, a);
    for (const token of [tok.managerA!, tok.staffA!, c.token]) {
      expect((await call('PUT', a, 'payments/settings', token, { onArrivalEnabled: false })).statusCode).toBe(403);
    }
    expect((await call('GET', a, 'payments/settings', tok.ownerB!)).statusCode).toBe(403);
    expect((await call('PUT', a, 'payments/settings', tok.ownerB!, { onArrivalEnabled: false })).statusCode).toBe(403);
    const bad = await call('PUT', a, 'payments/settings', tok.ownerA!, { onArrivalEnabled: 'no' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields.map((x: { field: string }) => x.field)).toEqual(['onArrivalEnabled']);
    const got = await call('GET', a, 'payments/settings', tok.ownerA!);
    expect(got.json()).toMatchObject({ onArrivalEnabled: true, sandboxEnabled: true });
    // B's own settings are untouched by all of A's changes
    const gotB = await call('GET', b, 'payments/settings', tok.ownerB!);
    expect(gotB.json()).toEqual({ onArrivalEnabled: true, sandboxEnabled: true, updatedAt: null });
  });
});
