import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrdersPaymentPort } from '../src/modules/orders/orders-payment.port';
import { TenantContext } from '../src/platform/database/tenant-context';
import { Factory, type TestTenant } from './support/factories';
import { orderCustomer, orderStore, orderTechnician, tomorrowAt, type OrderStore } from './support/order-fixtures';
import { openSse } from './support/sse-client';
import { createTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';

interface StatusEvent {
  orderId: string;
  orderNo: string;
  event: string;
  from: string;
  to: string;
  at: number;
}

describe('live order status over SSE', () => {
  let db: TestDatabase;
  let t: TestApp;
  let f: Factory;
  let a: TestTenant;
  let b: TestTenant;
  let storeA: OrderStore;
  let base: string;
  const tok: Record<string, string> = {};
  const streams: Array<{ close: () => void }> = [];
  const sse = async (tenant: TestTenant, token: string) => {
    const s = await openSse(`${base}/t/${tenant.slug}/api/events`, token);
    streams.push(s);
    return s;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await createTestApp(db, { RUN_WORKERS: 'false' });
    f = await Factory.create(db, t.app);
    a = await f.newTenant();
    b = await f.newTenant();
    storeA = await orderStore(f, a);
    for (const [name, tenant, role] of [
      ['managerA', a, 'store_manager'],
      ['ownerB', b, 'tenant_owner'],
    ] as const) {
      const s = await f.newStaff(tenant, { role });
      tok[name] = await f.token({ id: s.id, role, tenantId: tenant.id });
    }
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

  const post = (path: string, token: string, payload: object, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: `/t/${a.slug}/api/${path}`,
      headers: { authorization: `Bearer ${token}`, ...headers },
      payload,
    });

  it("the customer sees every status change of their order live; nobody else's stream does", async () => {
    const alice = await orderCustomer(f, t.app, a);
    const bob = await orderCustomer(f, t.app, a);
    const techId = await orderTechnician(f, a);
    const techToken = await f.token({ id: techId, role: 'technician', tenantId: a.id });

    const aliceStream = await sse(a, alice.token);
    const bobStream = await sse(a, bob.token);
    const staffStream = await sse(a, tok.managerA!);
    const techStream = await sse(a, techToken);
    const otherStore = await sse(b, tok.ownerB!);
    await new Promise((r) => setTimeout(r, 150)); // subscriptions are live

    const q = await post('quotes', alice.token, {
      serviceId: storeA.serviceId,
      durationMinutes: 60,
      addons: [],
      addressId: alice.addressId,
      startAt: tomorrowAt(4),
      technicianId: techId,
    });
    expect(q.statusCode, q.body).toBe(201);
    const o = await post(
      'orders',
      alice.token,
      { quoteId: q.json().id, paymentMethod: 'sandbox' },
      { 'idempotency-key': randomUUID() },
    );
    expect(o.statusCode, o.body).toBe(201);
    const order = o.json<{ id: string; orderNo: string; totalFen: number }>();

    await t.app
      .get(TenantContext)
      .run(a.id, () =>
        t.app.get(OrdersPaymentPort).markPaid(order.id, { paymentId: 'live-1', amountFen: order.totalFen }),
      );
    const expected: Array<[string, string, string]> = [
      ['pay', 'pending_payment', 'paid'],
      ['assign', 'paid', 'assigned'],
    ];
    const nextStatus = async () => {
      const data = (await aliceStream.next('order.status', 3_000)).data as StatusEvent;
      expect(data).toMatchObject({ orderId: order.id, orderNo: order.orderNo });
      return [data.event, data.from, data.to];
    };
    // the payment's two transitions, in order
    expect([await nextStatus(), await nextStatus()]).toEqual(expected);
    for (const step of [
      ['accept', 'assigned', 'accepted'],
      ['depart', 'accepted', 'departed'],
      ['arrive', 'departed', 'arrived'],
      ['start_service', 'arrived', 'in_service'],
      ['complete', 'in_service', 'completed'],
    ] as Array<[string, string, string]>) {
      const res = await post(`orders/${order.id}/transitions`, tok.managerA!, { event: step[0] });
      expect(res.statusCode, res.body).toBe(200);
      expected.push(step);
      // live: each change arrives before the next one is made
      expect(await nextStatus()).toEqual(step);
    }
    const review = await post('reviews', alice.token, {
      orderId: order.id,
      stars: 5,
      skillStars: 5,
      attitudeStars: 5,
      punctualityStars: 5,
    });
    expect(review.statusCode, review.body).toBe(201);
    expected.push(['review', 'completed', 'reviewed']);
    const last = (await aliceStream.next('order.status')).data as StatusEvent;
    expect(last).toMatchObject({ orderId: order.id, orderNo: order.orderNo, event: 'review', to: 'reviewed' });
    expect(Math.abs(Date.now() - last.at)).toBeLessThan(5_000); // stamped by the hub when published

    // staff and the chosen technician see the whole sequence
    const seen = async (stream: Awaited<ReturnType<typeof openSse>>, n: number) => {
      const out: string[] = [];
      for (let i = 0; i < n; i++) out.push(((await stream.next('order.status')).data as StatusEvent).to);
      return out;
    };
    const all = expected.map(([, , to]) => to);
    expect(await seen(staffStream, all.length)).toEqual(all);
    expect(await seen(techStream, all.length)).toEqual(all);
    // the customer's notification centre is pushed live too
    expect((await aliceStream.next('notification')).data).toMatchObject({ template: 'order.paid' });

    await new Promise((r) => setTimeout(r, 300));
    expect(bobStream.events.filter((e) => e.event === 'order.status')).toEqual([]);
    expect(bobStream.events.filter((e) => e.event === 'notification')).toEqual([]);
    expect(otherStore.events).toEqual([]);
    for (const s of [aliceStream, bobStream, staffStream, techStream, otherStore]) s.close();
  });

  it('a transition that fails publishes nothing', async () => {
    const alice = await orderCustomer(f, t.app, a);
    const stream = await sse(a, alice.token);
    await new Promise((r) => setTimeout(r, 150));
    const q = await post('quotes', alice.token, {
      serviceId: storeA.serviceId,
      durationMinutes: 60,
      addons: [],
      addressId: alice.addressId,
      startAt: tomorrowAt(6),
    });
    const o = await post(
      'orders',
      alice.token,
      { quoteId: q.json().id, paymentMethod: 'sandbox' },
      { 'idempotency-key': randomUUID() },
    );
    const illegal = await post(`orders/${o.json().id}/transitions`, tok.managerA!, { event: 'complete' });
    expect(illegal.statusCode).toBe(409);
    await new Promise((r) => setTimeout(r, 400));
    expect(stream.events.filter((e) => e.event === 'order.status')).toEqual([]);
    stream.close();
  });
});
