import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TenantContext } from '../src/platform/database/tenant-context';
import { Factory, type TestTenant } from './support/factories';
import { orderCustomer, orderTechnician } from './support/order-fixtures';
import { createTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { insertOrder } from './support/tenant-table-seeds';

interface Customer {
  id: string;
  token: string;
}

describe('reviews', () => {
  let db: TestDatabase;
  let t: TestApp;
  let f: Factory;
  let a: TestTenant;
  let b: TestTenant;
  const tok: Record<string, string> = {};
  let techA: string;
  let techB: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await createTestApp(db, { DB_POOL_MAX: '12', RUN_WORKERS: 'false' });
    f = await Factory.create(db, t.app);
    a = await f.newTenant();
    b = await f.newTenant();
    for (const [name, tenant, role] of [
      ['ownerA', a, 'tenant_owner'],
      ['managerA', a, 'store_manager'],
      ['staffA', a, 'store_staff'],
      ['managerB', b, 'store_manager'],
    ] as const) {
      const s = await f.newStaff(tenant, { role });
      tok[name] = await f.token({ id: s.id, role, tenantId: tenant.id });
    }
    techA = await orderTechnician(f, a);
    techB = await orderTechnician(f, b);
    tok.techA = await f.token({ id: techA, role: 'technician', tenantId: a.id });
  });
  afterAll(async () => {
    await f?.close();
    await t?.close();
    await db?.drop();
  });

  const call = (method: 'GET' | 'POST', tenant: TestTenant, path: string, token?: string, payload?: object) =>
    t.app.inject({
      method,
      url: `/t/${tenant.slug}/api/${path}`,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(payload ? { payload } : {}),
    });

  async function customer(tenant: TestTenant, nickname: string | null = '王小明'): Promise<Customer> {
    const c = await orderCustomer(f, t.app, tenant);
    await f.query(`UPDATE customers SET nickname = $2 WHERE id = $1`, [c.id, nickname]);
    return c;
  }

  /** An order of `c` served by `technicianId`, in `status` (arranged directly: the order core is tested elsewhere). */
  async function order(tenant: TestTenant, c: Customer, technicianId: string, status = 'completed'): Promise<string> {
    const id = await insertOrder({ query: (sql, p) => f.query(sql, p) }, tenant.id);
    await f.query(`UPDATE orders SET customer_id = $2, technician_id = $3, status = $4 WHERE id = $1`, [
      id,
      c.id,
      technicianId,
      status,
    ]);
    return id;
  }

  const body = (orderId: string, over: Record<string, unknown> = {}) => ({
    orderId,
    stars: 5,
    skillStars: 5,
    attitudeStars: 4,
    punctualityStars: 5,
    tags: ['skilled', 'punctual'],
    text: '手法很专业，准时到达。',
    ...over,
  });

  const rating = async (technicianId: string) =>
    (
      await f.query<{ rating_avg: string | null; rating_count: number }>(
        `SELECT rating_avg::text, rating_count FROM technicians WHERE id = $1`,
        [technicianId],
      )
    ).rows[0]!;

  it('reviews only a completed order; the order becomes reviewed with an event', async () => {
    const c = await customer(a);
    const id = await order(a, c, techA, 'in_service');
    const early = await call('POST', a, 'reviews', c.token, body(id));
    expect(early.statusCode, early.body).toBe(409);
    expect(early.json()).toMatchObject({ code: 'ORDER_NOT_REVIEWABLE' });
    await f.query(`UPDATE orders SET status = 'completed' WHERE id = $1`, [id]);
    const res = await call('POST', a, 'reviews', c.token, body(id));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ orderId: id, stars: 5, reviewer: '王*明', technicianId: techA });
    const o = await f.query(`SELECT status FROM orders WHERE id = $1`, [id]);
    expect(o.rows[0]!.status).toBe('reviewed');
    const ev = await f.query(`SELECT event, from_status, to_status, actor_type FROM order_events WHERE order_id = $1`, [
      id,
    ]);
    expect(ev.rows).toEqual([
      { event: 'review', from_status: 'completed', to_status: 'reviewed', actor_type: 'customer' },
    ]);
  });

  it('refuses a second review with 409, also when 10 arrive at once (exactly one wins)', async () => {
    const c = await customer(a);
    const id = await order(a, c, techA);
    const results = await Promise.all(Array.from({ length: 10 }, () => call('POST', a, 'reviews', c.token, body(id))));
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, ...Array(9).fill(409)]);
    const again = await call('POST', a, 'reviews', c.token, body(id));
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'REVIEW_EXISTS' });
    expect((await f.query(`SELECT count(*)::int AS n FROM reviews WHERE order_id = $1`, [id])).rows[0]!.n).toBe(1);
  });

  it("another customer's order → 404, another store's order → 404, another store's path → 403", async () => {
    const owner = await customer(a);
    const other = await customer(a);
    const id = await order(a, owner, techA);
    const res = await call('POST', a, 'reviews', other.token, body(id));
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'ORDER_NOT_FOUND' });
    const cb = await customer(b);
    const idB = await order(b, cb, techB);
    const cross = await call('POST', a, 'reviews', owner.token, body(idB));
    expect(cross.statusCode).toBe(404);
    expect(cross.json().message).not.toContain(b.id);
    expect((await call('POST', b, 'reviews', owner.token, body(idB))).statusCode).toBe(403);
    expect(
      (await f.query(`SELECT count(*)::int AS n FROM reviews WHERE order_id = ANY($1)`, [[id, idB]])).rows[0]!.n,
    ).toBe(0);
  });

  it.each([
    ['stars', { stars: 6 }],
    ['stars', { stars: 0 }],
    ['skillStars', { skillStars: 2.5 }],
    ['tags', { tags: ['amazing'] }],
    ['text', { text: 'x'.repeat(501) }],
    ['orderId', { orderId: 'nope' }],
  ])('bad input → 400 naming %s', async (field, over) => {
    const c = await customer(a);
    const id = await order(a, c, techA);
    const res = await call('POST', a, 'reviews', c.token, body(id, over));
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().fields.map((x: { field: string }) => x.field)).toContain(field);
  });

  it('the database itself refuses a review of an order that never completed', async () => {
    const c = await customer(a);
    const id = await order(a, c, techA, 'paid');
    const insert = (orderId: string, customerId: string) =>
      t.app.get(TenantContext).run(a.id, (tx) =>
        tx.review.create({
          data: {
            tenantId: a.id,
            orderId,
            customerId,
            technicianId: techA,
            stars: 5,
            skillStars: 5,
            attitudeStars: 5,
            punctualityStars: 5,
            reviewerLabel: 'x',
          },
        }),
      );
    await expect(insert(id, c.id)).rejects.toThrow(/completed order/);
    await f.query(`UPDATE orders SET status = 'completed' WHERE id = $1`, [id]);
    const stranger = await customer(a);
    await expect(insert(id, stranger.id)).rejects.toThrow(/completed order/);
  });

  it('keeps the rating exact: recomputed on create, hide and unhide, also under parallel reviews', async () => {
    const tech = await orderTechnician(f, a);
    const stars = [5, 4, 3, 5, 2, 4, 5, 1];
    const made = await Promise.all(
      stars.map(async (s) => {
        const c = await customer(a);
        return { c, id: await order(a, c, tech), s };
      }),
    );
    const results = await Promise.all(
      made.map((m) => call('POST', a, 'reviews', m.c.token, body(m.id, { stars: m.s }))),
    );
    expect(results.map((r) => r.statusCode)).toEqual(stars.map(() => 201));
    const avg = (xs: number[]) => (xs.reduce((x, y) => x + y, 0) / xs.length).toFixed(2);
    expect(await rating(tech)).toEqual({ rating_avg: avg(stars), rating_count: stars.length });

    const worst = results[stars.indexOf(1)]!.json().id as string;
    const hidden = await call('POST', a, `reviews/${worst}/hide`, tok.managerA, { reason: '恶意差评' });
    expect(hidden.statusCode, hidden.body).toBe(200);
    expect(hidden.json().hiddenAt).not.toBeNull();
    const visible = stars.filter((s) => s !== 1);
    expect(await rating(tech)).toEqual({ rating_avg: avg(visible), rating_count: visible.length });
    const pub = await call('GET', a, `technicians/${tech}/reviews?pageSize=100`);
    expect(pub.json()).toMatchObject({ total: visible.length, ratingAvg: Number(avg(visible)), ratingCount: 7 });
    expect(pub.json().items.map((r: { id: string }) => r.id)).not.toContain(worst);

    expect((await call('POST', a, `reviews/${worst}/unhide`, tok.ownerA)).statusCode).toBe(200);
    expect(await rating(tech)).toEqual({ rating_avg: avg(stars), rating_count: stars.length });
  });

  it('public list: visible reviews only, masked reviewer, no customer or order data, paginated', async () => {
    const tech = await orderTechnician(f, a);
    const named = await customer(a, '张小丽');
    const anon = await customer(a, '李雷');
    await call('POST', a, 'reviews', named.token, body(await order(a, named, tech)));
    await call('POST', a, 'reviews', anon.token, body(await order(a, anon, tech), { anonymous: true }));
    const page1 = await call('GET', a, `technicians/${tech}/reviews?pageSize=1`);
    expect(page1.statusCode, page1.body).toBe(200);
    expect(page1.json()).toMatchObject({ total: 2, page: 1, pageSize: 1, ratingCount: 2 });
    expect(page1.json().items).toHaveLength(1);
    const all = (await call('GET', a, `technicians/${tech}/reviews`)).json();
    expect(all.items.map((r: { reviewer: string }) => r.reviewer).sort()).toEqual(['匿名用户', '张*丽'].sort());
    const raw = JSON.stringify(all);
    for (const secret of [named.id, anon.id, '张小丽', '李雷', 'orderId', 'customerId', '138']) {
      expect(raw).not.toContain(secret);
    }
    expect((await call('GET', a, `technicians/${techB}/reviews`)).statusCode).toBe(404);
    expect((await call('GET', a, `technicians/${tech}/reviews?pageSize=500`)).json().fields[0].field).toBe('pageSize');
    const tags = await call('GET', a, 'review-tags');
    expect(tags.json()).toContainEqual({ code: 'punctual', zh: '准时到达', en: 'On time' });
  });

  it('customers see their own reviews; staff all, with filters and report counts', async () => {
    const tech = await orderTechnician(f, a);
    const c1 = await customer(a);
    const c2 = await customer(a);
    const r1 = (await call('POST', a, 'reviews', c1.token, body(await order(a, c1, tech), { stars: 2 }))).json();
    const r2 = (await call('POST', a, 'reviews', c2.token, body(await order(a, c2, tech), { stars: 5 }))).json();
    const mine = (await call('GET', a, 'reviews', c1.token)).json();
    expect(mine.items.map((r: { id: string }) => r.id)).toEqual([r1.id]);
    expect(mine.items[0].reportCount).toBeNull();
    expect((await call('GET', a, `reviews/${r2.id}`, c1.token)).statusCode).toBe(404);

    expect((await call('POST', a, `reviews/${r1.id}/reports`, c2.token, { reason: 'abusive' })).statusCode).toBe(201);
    const dup = await call('POST', a, `reviews/${r1.id}/reports`, c2.token, { reason: 'spam' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ code: 'REPORT_EXISTS' });
    const bad = await call('POST', a, `reviews/${r1.id}/reports`, c2.token, { reason: 'boring' });
    expect(bad.json().fields[0].field).toBe('reason');

    const low = (await call('GET', a, `reviews?technicianId=${tech}&maxStars=3`, tok.staffA)).json();
    expect(low.items.map((r: { id: string }) => r.id)).toEqual([r1.id]);
    const reported = (await call('GET', a, `reviews?technicianId=${tech}&reported=true`, tok.managerA)).json();
    expect(reported.items).toEqual([expect.objectContaining({ id: r1.id, reportCount: 1 })]);
    expect((await call('GET', a, 'reviews?minStars=9', tok.managerA)).json().fields[0].field).toBe('minStars');
    const visibleOnly = (await call('GET', a, `reviews?technicianId=${tech}&hidden=true`, tok.managerA)).json();
    expect(visibleOnly.total).toBe(0);
  });

  it('staff reply (all staff roles), managers hide; other roles are refused', async () => {
    const c = await customer(a);
    const r = (await call('POST', a, 'reviews', c.token, body(await order(a, c, techA)))).json();
    const reply = await call('POST', a, `reviews/${r.id}/reply`, tok.staffA, { text: '感谢您的好评！' });
    expect(reply.statusCode, reply.body).toBe(200);
    expect(reply.json()).toMatchObject({ reply: '感谢您的好评！' });
    expect(reply.json().repliedAt).not.toBeNull();
    expect((await call('POST', a, `reviews/${r.id}/reply`, tok.staffA, { text: '' })).json().fields[0].field).toBe(
      'text',
    );
    for (const who of [c.token, tok.techA]) {
      expect((await call('POST', a, `reviews/${r.id}/reply`, who, { text: 'hi' })).statusCode).toBe(403);
      expect((await call('POST', a, `reviews/${r.id}/hide`, who, {})).statusCode).toBe(403);
    }
    expect((await call('POST', a, `reviews/${r.id}/hide`, tok.staffA, {})).statusCode).toBe(403);
    for (const who of [tok.ownerA, tok.managerA, tok.staffA, tok.techA]) {
      expect((await call('POST', a, 'reviews', who, body(r.orderId))).statusCode).toBe(403);
      expect((await call('POST', a, `reviews/${r.id}/reports`, who, { reason: 'spam' })).statusCode).toBe(403);
    }
    expect((await call('GET', a, 'reviews', tok.techA)).statusCode).toBe(403);
    expect((await call('GET', a, 'reviews')).statusCode).toBe(401);
    expect((await call('POST', a, 'reviews', undefined, body(r.orderId))).statusCode).toBe(401);
  });

  it("another store's staff get 404 for this store's review ids and 403 at this store's path", async () => {
    const c = await customer(a);
    const r = (await call('POST', a, 'reviews', c.token, body(await order(a, c, techA)))).json();
    for (const [method, path, payload] of [
      ['GET', `reviews/${r.id}`, undefined],
      ['POST', `reviews/${r.id}/reply`, { text: 'x' }],
      ['POST', `reviews/${r.id}/hide`, {}],
      ['POST', `reviews/${r.id}/unhide`, undefined],
    ] as const) {
      const res = await call(method, b, path, tok.managerB, payload);
      expect(res.statusCode, `${method} ${path}`).toBe(404);
      expect(res.body).not.toContain(a.id);
      expect((await call(method, a, path, tok.managerB, payload)).statusCode).toBe(403);
    }
    const cb = await customer(b);
    expect((await call('POST', b, `reviews/${r.id}/reports`, cb.token, { reason: 'spam' })).statusCode).toBe(404);
    expect((await call('GET', b, 'reviews', tok.managerB)).json().items).toEqual([]);
    expect((await call('GET', b, `technicians/${techA}/reviews`)).statusCode).toBe(404);
    const row = await f.query(`SELECT reply, hidden_at FROM reviews WHERE id = $1`, [r.id]);
    expect(row.rows[0]).toEqual({ reply: null, hidden_at: null });
  });
});
