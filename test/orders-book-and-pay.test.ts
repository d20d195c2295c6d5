import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Factory, type TestTenant } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { orderCustomer, orderStore, orderTechnician, type OrderStore } from './support/order-fixtures';
import { nextStart, storeCaller, topUpWallet } from './support/payment-fixtures';

interface Checkout {
  payment: { id: string; outTradeNo: string; amountFen: number; status: string; provider: string };
  next: { kind: string; url?: string };
}

/** 下单即支付: POST /orders with `pay` books the quote and starts its payment in one request. */
describe('booking and paying in one request', () => {
  let db: TestDatabase;
  let t: TestApp;
  let f: Factory;
  let a: TestTenant;
  let b: TestTenant;
  let storeA: OrderStore;
  let storeB: OrderStore;
  let call: ReturnType<typeof storeCaller>;
  let ownerA: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await createTestApp(db, { DB_POOL_MAX: '6', RUN_WORKERS: 'false' });
    f = await Factory.create(db, t.app);
    call = storeCaller(t.app);
    a = await f.newTenant();
    b = await f.newTenant();
    storeA = await orderStore(f, a);
    storeB = await orderStore(f, b);
    const owner = await f.newStaff(a, { role: 'tenant_owner' });
    ownerA = await f.token({ id: owner.id, role: 'tenant_owner', tenantId: a.id });
  });
  afterAll(async () => {
    await f?.close();
    await t?.close();
    await db?.drop();
  });

  const count = async (sql: string, params: unknown[]) => Number((await f.query(sql, params)).rows[0]!.count);

  async function quote(store: OrderStore, c: { token: string; addressId: string }, technicianId?: string) {
    const q = await call('POST', store.tenant, 'quotes', c.token, {
      serviceId: store.serviceId,
      durationMinutes: 60,
      addons: [],
      addressId: c.addressId,
      startAt: nextStart(),
      ...(technicianId ? { technicianId } : {}),
    });
    expect(q.statusCode, q.body).toBe(201);
    return q.json<{ id: string; totalFen: number }>();
  }

  const book = (tenant: TestTenant, token: string, body: object, key = randomUUID()) =>
    call('POST', tenant, 'orders', token, body, { 'idempotency-key': key });

  it('sandbox: the order and a pending payment in one request; the checkout pays it; /pay reuses the same payment', async () => {
    const c = await orderCustomer(f, t.app, a);
    const technicianId = await orderTechnician(f, a);
    const q = await quote(storeA, c, technicianId);
    const res = await book(a, c.token, { quoteId: q.id, paymentMethod: 'sandbox', pay: {} });
    expect(res.statusCode, res.body).toBe(201);
    const order = res.json<{ id: string; status: string; totalFen: number; checkout: Checkout }>();
    expect(order.status).toBe('pending_payment');
    expect(order.checkout.payment).toMatchObject({ provider: 'sandbox', status: 'pending', amountFen: q.totalFen });
    expect(order.checkout.next.kind).toBe('redirect');
    expect(order.checkout.next.url).toContain(`/payments/sandbox/checkout/${order.checkout.payment.outTradeNo}`);

    // The separate pay route finds the same pending payment: one payment row per order and method.
    const again = await call('POST', a, `orders/${order.id}/pay`, c.token, { method: 'sandbox' });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json<Checkout>().payment.outTradeNo).toBe(order.checkout.payment.outTradeNo);
    expect(await count(`SELECT count(*) FROM payments WHERE order_id = $1`, [order.id])).toBe(1);

    const done = await t.app.inject({ method: 'POST', url: `${new URL(order.checkout.next.url!).pathname}/pay` });
    expect(done.json()).toEqual({ code: 'SUCCESS' });
    const row = (await f.query(`SELECT status, paid_fen FROM orders WHERE id = $1`, [order.id])).rows[0]!;
    expect(row).toEqual({ status: 'assigned', paid_fen: q.totalFen });
  });

  it('a retried booking returns the same order and the same payment; the same key with another body is 422', async () => {
    const c = await orderCustomer(f, t.app, a);
    const q = await quote(storeA, c);
    const key = randomUUID();
    const body = { quoteId: q.id, paymentMethod: 'sandbox', pay: { channel: 'h5' } };
    const [first, second] = await Promise.all([book(a, c.token, body, key), book(a, c.token, body, key)]);
    expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
    const [o1, o2] = [
      first.json<{ id: string; checkout: Checkout }>(),
      second.json<{ id: string; checkout: Checkout }>(),
    ];
    expect(o2.id).toBe(o1.id);
    expect(o2.checkout.payment.outTradeNo).toBe(o1.checkout.payment.outTradeNo);
    expect([first, second].filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(1);
    expect(await count(`SELECT count(*) FROM payments WHERE order_id = $1`, [o1.id])).toBe(1);

    const withoutPay = await book(a, c.token, { quoteId: q.id, paymentMethod: 'sandbox' }, key);
    expect(withoutPay.statusCode).toBe(422);
    expect(withoutPay.json().code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('balance: short → 409 and nothing booked (the slot stays free); topped up → booked and paid at once', async () => {
    const c = await orderCustomer(f, t.app, a);
    const technicianId = await orderTechnician(f, a);
    const q = await quote(storeA, c, technicianId);
    const poor = await book(a, c.token, { quoteId: q.id, paymentMethod: 'balance', pay: {} });
    expect(poor.statusCode, poor.body).toBe(409);
    expect(poor.json().code).toBe('INSUFFICIENT_BALANCE');
    expect(await count(`SELECT count(*) FROM orders WHERE quote_id = $1`, [q.id])).toBe(0);
    expect(await count(`SELECT count(*) FROM technician_busy WHERE technician_id = $1`, [technicianId])).toBe(0);

    await topUpWallet(t.app, a.id, c.id, q.totalFen);
    const ok = await book(a, c.token, { quoteId: q.id, paymentMethod: 'balance', pay: {} });
    expect(ok.statusCode, ok.body).toBe(201);
    const order = ok.json<{ id: string; status: string; paidFen: number; checkout: Checkout }>();
    expect(order).toMatchObject({ status: 'assigned', paidFen: q.totalFen });
    expect(order.checkout).toMatchObject({ payment: { status: 'succeeded' }, next: { kind: 'completed' } });
    expect(await count(`SELECT count(*) FROM journal_transactions WHERE order_id = $1`, [order.id])).toBe(1);
    expect(await count(`SELECT count(*) FROM technician_busy WHERE technician_id = $1`, [technicianId])).toBe(1);
  });

  it('bad `pay` input is a 400 naming the field; a method the store switched off books nothing', async () => {
    const c = await orderCustomer(f, t.app, a);
    const q = await quote(storeA, c);
    const fields = (r: { json: () => { fields?: { field: string }[] } }) => (r.json().fields ?? []).map((x) => x.field);

    const onArrival = await book(a, c.token, { quoteId: q.id, paymentMethod: 'on_arrival', pay: {} });
    expect(onArrival.statusCode).toBe(400);
    expect(onArrival.json().code).toBe('NOTHING_TO_PAY_NOW');
    expect(fields(onArrival)).toEqual(['pay']);
    const notObject = await book(a, c.token, { quoteId: q.id, paymentMethod: 'sandbox', pay: 'now' });
    expect(notObject.statusCode).toBe(400);
    expect(fields(notObject).join()).toContain('pay');
    const channel = await book(a, c.token, { quoteId: q.id, paymentMethod: 'sandbox', pay: { channel: 'fax' } });
    expect(channel.statusCode).toBe(400);
    expect(fields(channel).join()).toContain('channel');

    const off = await call('PUT', a, 'payments/settings', ownerA, { sandboxEnabled: false });
    expect(off.statusCode, off.body).toBe(200);
    try {
      const refused = await book(a, c.token, { quoteId: q.id, paymentMethod: 'sandbox', pay: {} });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().code).toBe('PAYMENT_METHOD_UNAVAILABLE');
      expect(fields(refused)).toEqual(['paymentMethod']);
      expect(await count(`SELECT count(*) FROM orders WHERE quote_id = $1`, [q.id])).toBe(0);
    } finally {
      await call('PUT', a, 'payments/settings', ownerA, { sandboxEnabled: true });
    }
    expect(await count(`SELECT count(*) FROM orders WHERE quote_id = $1`, [q.id])).toBe(0);
  });

  it('another store: B’s quote through A is unknown (400, nothing written anywhere); A’s token at B is 403', async () => {
    const ca = await orderCustomer(f, t.app, a);
    const cb = await orderCustomer(f, t.app, b);
    const qb = await quote(storeB, cb);
    const cross = await book(a, ca.token, { quoteId: qb.id, paymentMethod: 'sandbox', pay: {} });
    expect(cross.statusCode).toBe(400);
    // the same answer as for a quote that exists nowhere: A learns nothing about B's quote
    const unknown = await book(a, ca.token, { quoteId: randomUUID(), paymentMethod: 'sandbox', pay: {} });
    const { requestId: _r1, ...crossBody } = cross.json<Record<string, unknown>>();
    const { requestId: _r2, ...unknownBody } = unknown.json<Record<string, unknown>>();
    expect(crossBody).toEqual(unknownBody);
    expect(cross.json().code).toBe('QUOTE_NOT_FOUND');
    const foreign = await book(b, ca.token, { quoteId: qb.id, paymentMethod: 'sandbox', pay: {} });
    expect(foreign.statusCode).toBe(403);
    expect(await count(`SELECT count(*) FROM orders WHERE quote_id = $1`, [qb.id])).toBe(0);
    expect(await count(`SELECT count(*) FROM payments WHERE customer_id IN ($1, $2)`, [ca.id, cb.id])).toBe(0);
  });
});
