import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Factory, type TestTenant } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { insertCustomer, insertDispatchOffer, insertTechnician } from './support/tenant-table-seeds';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

interface Store {
  tenant: TestTenant;
  tokens: Record<'owner' | 'manager' | 'staff' | 'technician' | 'outsider' | 'customer', string>;
  technicianId: string;
  orderId: string;
  offerId: string;
  appealId: string;
}

describe('dispatch endpoints: roles, validation and the tenant wall', () => {
  let db: TestDatabase;
  let t: TestApp;
  let f: Factory;
  let a: Store;
  let b: Store;

  async function store(): Promise<Store> {
    const tenant = await f.newTenant();
    const admin = { query: (sql: string, params?: unknown[]) => f.query(sql, params) };
    const { orderId, technicianId } = await insertDispatchOffer(admin, tenant.id);
    const offer = await f.query<{ id: string }>(`SELECT id FROM dispatch_offers WHERE order_id = $1`, [orderId]);
    await f.query(
      `INSERT INTO dispatch_log (tenant_id, order_id, kind, technician_id, actor_type) VALUES ($1, $2, 'offered', $3, 'system')`,
      [tenant.id, orderId, technicianId],
    );
    const appeal = await f.query<{ id: string }>(
      `INSERT INTO dispatch_appeals (tenant_id, order_id, technician_id, text) VALUES ($1, $2, $3, '申诉') RETURNING id`,
      [tenant.id, orderId, technicianId],
    );
    await f.query(
      `INSERT INTO dispatch_runs (tenant_id, order_id, mode, state) VALUES ($1, $2, 'auto', 'needs_staff')`,
      [tenant.id, orderId],
    );
    const outsider = await insertTechnician(admin, tenant.id);
    const customer = await insertCustomer(admin, tenant.id);
    const staffToken = async (role: 'tenant_owner' | 'store_manager' | 'store_staff') =>
      f.token({ id: (await f.newStaff(tenant, { role })).id, role, tenantId: tenant.id });
    return {
      tenant,
      technicianId,
      orderId,
      offerId: offer.rows[0]!.id,
      appealId: appeal.rows[0]!.id,
      tokens: {
        owner: await staffToken('tenant_owner'),
        manager: await staffToken('store_manager'),
        staff: await staffToken('store_staff'),
        technician: await f.token({ id: technicianId, role: 'technician', tenantId: tenant.id }),
        outsider: await f.token({ id: outsider, role: 'technician', tenantId: tenant.id }),
        customer: await f.token({ id: customer, role: 'customer', tenantId: tenant.id }),
      },
    };
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await createTestApp(db, { RUN_WORKERS: 'false' });
    f = await Factory.create(db, t.app);
    a = await store();
    b = await store();
  });
  afterAll(async () => {
    await f?.close();
    await t?.close();
    await db?.drop();
  });

  const call = (s: Store, method: Method, path: string, token?: string, payload?: object) =>
    t.app.inject({
      method,
      url: `/t/${s.tenant.slug}/api/dispatch/${path}`,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(payload ? { payload } : {}),
    });
  const status = async (...args: Parameters<typeof call>) => (await call(...args)).statusCode;
  const fieldsOf = async (...args: Parameters<typeof call>) => {
    const res = await call(...args);
    expect(res.statusCode, res.body).toBe(400);
    return res.json<{ fields: Array<{ field: string }> }>().fields.map((x) => x.field);
  };

  it('settings: everyone on staff reads, owner/manager change; others 403; anonymous 401', async () => {
    expect(await status(a, 'GET', 'settings')).toBe(401);
    for (const role of ['owner', 'manager', 'staff'] as const)
      expect(await status(a, 'GET', 'settings', a.tokens[role])).toBe(200);
    for (const role of ['technician', 'customer'] as const)
      expect(await status(a, 'GET', 'settings', a.tokens[role])).toBe(403);
    const defaults = (await call(a, 'GET', 'settings', a.tokens.owner)).json();
    expect(defaults).toMatchObject({ mode: 'auto_then_grab', radiusStepsM: [3000, 6000, 10000], offersAtOnce: 1 });

    const change = { mode: 'grab', offerTimeoutSeconds: 30, radiusStepsM: [1000, 4000], poolParticipation: 'both' };
    for (const role of ['staff', 'technician', 'customer'] as const) {
      expect(await status(a, 'PUT', 'settings', a.tokens[role], change)).toBe(403);
    }
    const saved = await call(a, 'PUT', 'settings', a.tokens.manager, {
      ...change,
      weights: { eta: 10, rating: 50, tier: 20, fairness: 20 },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ ...change, weights: { eta: 10, rating: 50, tier: 20, fairness: 20 } });
    expect((await call(a, 'GET', 'settings', a.tokens.staff)).json().mode).toBe('grab');
    expect((await call(b, 'GET', 'settings', b.tokens.owner)).json().mode).toBe('auto_then_grab'); // B untouched
    expect(await status(a, 'PUT', 'settings', a.tokens.owner, { mode: 'auto' })).toBe(200);

    expect(await fieldsOf(a, 'PUT', 'settings', a.tokens.owner, { mode: 'fastest' })).toContain('mode');
    expect(await fieldsOf(a, 'PUT', 'settings', a.tokens.owner, { offerTimeoutSeconds: 0 })).toContain(
      'offerTimeoutSeconds',
    );
    expect(await fieldsOf(a, 'PUT', 'settings', a.tokens.owner, { radiusStepsM: [5000, 3000] })).toContain(
      'radiusStepsM',
    );
    expect(await fieldsOf(a, 'PUT', 'settings', a.tokens.owner, { radiusStepsM: [] })).toContain('radiusStepsM');
    expect(await fieldsOf(a, 'PUT', 'settings', a.tokens.owner, { poolParticipation: 'all' })).toContain(
      'poolParticipation',
    );
    const w = await fieldsOf(a, 'PUT', 'settings', a.tokens.owner, {
      weights: { eta: 101, rating: 1, tier: 1, fairness: 1 },
    });
    expect(w.join()).toMatch(/weights/);
    expect(await status(a, 'PUT', 'settings', a.tokens.owner, { surprise: 1 })).toBe(400);
    // another store's token at this store's path
    expect(await status(a, 'GET', 'settings', b.tokens.owner)).toBe(403);
    expect(await status(a, 'PUT', 'settings', b.tokens.owner, { mode: 'manual' })).toBe(403);
  });

  it('assign / reassign: staff only; another store’s order is 404; another store’s token 403', async () => {
    const body = { technicianId: a.technicianId, reason: '测试' };
    for (const role of ['technician', 'customer'] as const) {
      expect(await status(a, 'POST', `orders/${a.orderId}/assign`, a.tokens[role], body)).toBe(403);
      expect(await status(a, 'POST', `orders/${a.orderId}/reassign`, a.tokens[role], body)).toBe(403);
    }
    for (const action of ['assign', 'reassign']) {
      const res = await call(a, 'POST', `orders/${b.orderId}/${action}`, a.tokens.owner, body);
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('ORDER_NOT_FOUND');
      expect(await status(b, 'POST', `orders/${b.orderId}/${action}`, a.tokens.owner, body)).toBe(403);
      expect(
        await fieldsOf(a, 'POST', `orders/${a.orderId}/${action}`, a.tokens.owner, { technicianId: 'x', reason: 'y' }),
      ).toContain('technicianId');
      expect(await fieldsOf(a, 'POST', `orders/not-a-uuid/${action}`, a.tokens.owner, body)).toContain('id');
    }
    // store B's technician for store A's order: no such technician here
    const foreignTech = await call(a, 'POST', `orders/${a.orderId}/assign`, a.tokens.owner, {
      technicianId: b.technicianId,
      reason: 'x',
    });
    expect(foreignTech.statusCode).toBe(404);
    expect(foreignTech.body).not.toContain(b.tenant.id);
  });

  it('runs: staff list their store’s orders by dispatch state; nobody else', async () => {
    for (const role of ['owner', 'manager', 'staff'] as const) {
      const res = await call(a, 'GET', 'runs?state=needs_staff', a.tokens[role]);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().map((r: { orderId: string }) => r.orderId)).toEqual([a.orderId]);
    }
    for (const role of ['technician', 'customer'] as const)
      expect(await status(a, 'GET', 'runs?state=needs_staff', a.tokens[role])).toBe(403);
    expect(await status(b, 'GET', 'runs?state=needs_staff', a.tokens.owner)).toBe(403);
    expect(await fieldsOf(a, 'GET', 'runs', a.tokens.owner)).toContain('state');
  });

  it('log: staff read it; a technician only when involved; customers never; other stores 404/403', async () => {
    for (const role of ['owner', 'manager', 'staff', 'technician'] as const) {
      expect(await status(a, 'GET', `orders/${a.orderId}/log`, a.tokens[role])).toBe(200);
    }
    expect(await status(a, 'GET', `orders/${a.orderId}/log`, a.tokens.customer)).toBe(403);
    expect(await status(a, 'GET', `orders/${a.orderId}/log`, a.tokens.outsider)).toBe(404);
    expect(await status(a, 'GET', `orders/${b.orderId}/log`, a.tokens.owner)).toBe(404);
    expect(await status(a, 'GET', `orders/${b.orderId}/log`, a.tokens.technician)).toBe(404);
    expect(await status(b, 'GET', `orders/${b.orderId}/log`, a.tokens.owner)).toBe(403);
  });

  it('appeals: technicians involved file them, managers resolve, staff read; the wall holds', async () => {
    const text = { orderId: a.orderId, text: '为什么不派给我' };
    for (const role of ['owner', 'staff', 'customer'] as const)
      expect(await status(a, 'POST', 'appeals', a.tokens[role], text)).toBe(403);
    expect(await status(a, 'POST', 'appeals', a.tokens.outsider, text)).toBe(404);
    expect(await status(a, 'POST', 'appeals', a.tokens.technician, { orderId: b.orderId, text: 'x' })).toBe(404);
    expect(await fieldsOf(a, 'POST', 'appeals', a.tokens.technician, { orderId: a.orderId })).toContain('text');
    const filed = await call(a, 'POST', 'appeals', a.tokens.technician, text);
    expect(filed.statusCode, filed.body).toBe(201);

    const staffList = await call(a, 'GET', 'appeals', a.tokens.staff);
    expect(staffList.statusCode).toBe(200);
    expect(staffList.json().map((x: { id: string }) => x.id)).toEqual(
      expect.arrayContaining([a.appealId, filed.json().id]),
    );
    expect(staffList.body).not.toContain(b.appealId);
    expect((await call(a, 'GET', 'appeals', a.tokens.outsider)).json()).toEqual([]);
    expect((await call(a, 'GET', 'appeals', a.tokens.technician)).json()).toHaveLength(2);
    expect(await status(a, 'GET', 'appeals', a.tokens.customer)).toBe(403);
    expect(await fieldsOf(a, 'GET', 'appeals?status=maybe', a.tokens.owner)).toContain('status');

    for (const role of ['staff', 'technician', 'customer'] as const) {
      expect(await status(a, 'POST', `appeals/${a.appealId}/resolve`, a.tokens[role], { reply: 'ok' })).toBe(403);
    }
    expect(await status(a, 'POST', `appeals/${b.appealId}/resolve`, a.tokens.manager, { reply: 'ok' })).toBe(404);
    expect(await status(b, 'POST', `appeals/${b.appealId}/resolve`, a.tokens.manager, { reply: 'ok' })).toBe(403);
    expect(await fieldsOf(a, 'POST', `appeals/${a.appealId}/resolve`, a.tokens.manager, {})).toContain('reply');
    expect(await status(a, 'POST', `appeals/${a.appealId}/resolve`, a.tokens.manager, { reply: '已核实' })).toBe(200);
  });

  it('offers: only technicians, only their own; other stores 404/403', async () => {
    for (const role of ['owner', 'staff', 'customer'] as const) {
      expect(await status(a, 'GET', 'offers', a.tokens[role])).toBe(403);
      expect(await status(a, 'POST', `offers/${a.offerId}/accept`, a.tokens[role])).toBe(403);
      expect(await status(a, 'POST', `offers/${a.offerId}/decline`, a.tokens[role])).toBe(403);
    }
    const mine = await call(a, 'GET', 'offers?status=offered', a.tokens.technician);
    expect(mine.json().map((o: { id: string }) => o.id)).toEqual([a.offerId]);
    expect((await call(a, 'GET', 'offers', a.tokens.outsider)).json()).toEqual([]);
    expect(await fieldsOf(a, 'GET', 'offers?status=lost', a.tokens.technician)).toContain('status');
    expect(await status(a, 'POST', `offers/${a.offerId}/accept`, a.tokens.outsider)).toBe(404);
    expect(await status(a, 'POST', `offers/${b.offerId}/accept`, a.tokens.technician)).toBe(404);
    expect(await status(a, 'POST', `offers/${b.offerId}/decline`, a.tokens.technician)).toBe(404);
    expect(await status(b, 'POST', `offers/${b.offerId}/accept`, a.tokens.technician)).toBe(403);
    expect(
      await fieldsOf(a, 'POST', `offers/${a.offerId}/decline`, a.tokens.technician, { reason: 'x'.repeat(201) }),
    ).toContain('reason');
  });

  it('blocks: a customer manages their own list; others 403; another store’s technician 404', async () => {
    for (const role of ['owner', 'staff', 'technician'] as const) {
      expect(await status(a, 'GET', 'blocks', a.tokens[role])).toBe(403);
      expect(await status(a, 'POST', 'blocks', a.tokens[role], { technicianId: a.technicianId })).toBe(403);
      expect(await status(a, 'DELETE', `blocks/${a.technicianId}`, a.tokens[role])).toBe(403);
    }
    expect(await status(a, 'POST', 'blocks', a.tokens.customer, { technicianId: b.technicianId })).toBe(404);
    expect(await fieldsOf(a, 'POST', 'blocks', a.tokens.customer, { technicianId: 'nope' })).toContain('technicianId');
    expect(
      await status(a, 'POST', 'blocks', a.tokens.customer, { technicianId: a.technicianId, reason: '不合适' }),
    ).toBe(201);
    expect(await status(a, 'POST', 'blocks', a.tokens.customer, { technicianId: a.technicianId })).toBe(201); // idempotent
    expect((await call(a, 'GET', 'blocks', a.tokens.customer)).json()).toEqual([
      expect.objectContaining({ technicianId: a.technicianId, reason: '不合适' }),
    ]);
    expect(await status(b, 'GET', 'blocks', a.tokens.customer)).toBe(403);
    expect(await status(a, 'DELETE', `blocks/${a.technicianId}`, a.tokens.customer)).toBe(204);
    expect(await status(a, 'DELETE', `blocks/${a.technicianId}`, a.tokens.customer)).toBe(404);
  });
});
