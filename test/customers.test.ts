import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Factory, type TestTenant } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { insertCustomer, insertTechnician } from './support/tenant-table-seeds';

interface Page {
  items: { id: string; nickname: string | null; phoneMasked: string; createdAt: string; lastLoginAt: string | null }[];
  nextCursor: string | null;
}

describe('customers (staff directory)', () => {
  let db: TestDatabase;
  let t: TestApp;
  let f: Factory;
  let store: TestTenant;
  let other: TestTenant;
  const ids: string[] = [];
  let otherCustomer: string;
  const tokens: Record<string, string> = {};

  const get = (url: string, role: string) =>
    t.app.inject({
      method: 'GET',
      url: `/t/${store.slug}${url}`,
      headers: { authorization: `Bearer ${tokens[role]}` },
    });

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await createTestApp(db);
    f = await Factory.create(db, t.app);
    store = await f.newTenant();
    other = await f.newTenant();
    for (let i = 0; i < 25; i++) ids.push(await insertCustomer(f, store.id, `顾客${String(i).padStart(2, '0')}`));
    await f.query(`UPDATE customers SET phone_masked = '138****4321' WHERE id = $1`, [ids[3]]);
    otherCustomer = await insertCustomer(f, other.id, '别家顾客');
    for (const role of ['tenant_owner', 'store_manager', 'store_staff'] as const) {
      const staff = await f.newStaff(store, { role });
      tokens[role] = await f.token({ id: staff.id, role, tenantId: store.id });
    }
    tokens.customer = await f.token({ id: ids[0]!, role: 'customer', tenantId: store.id });
    const tech = await insertTechnician(f, store.id);
    tokens.technician = await f.token({ id: tech, role: 'technician', tenantId: store.id });
  });
  afterAll(async () => {
    await f?.close();
    await t?.close();
    await db?.drop();
  });

  it.each(['tenant_owner', 'store_manager', 'store_staff'])(
    'lets %s page through every customer once',
    async (role) => {
      const first = await get('/api/customers?limit=20', role);
      expect(first.statusCode).toBe(200);
      const p1 = first.json<Page>();
      expect(p1.items).toHaveLength(20);
      expect(p1.nextCursor).toBe(p1.items[19]!.id);
      const second = await get(`/api/customers?limit=20&cursor=${p1.nextCursor}`, role);
      const p2 = second.json<Page>();
      expect(p2.items).toHaveLength(5);
      expect(p2.nextCursor).toBeNull();
      const seen = [...p1.items, ...p2.items].map((c) => c.id);
      expect(new Set(seen)).toEqual(new Set(ids));
      expect(seen).toHaveLength(25);
      // only the masked phone is exposed
      expect(Object.keys(p1.items[0]!).sort()).toEqual(['createdAt', 'id', 'lastLoginAt', 'nickname', 'phoneMasked']);
    },
  );

  it('searches by nickname and by the last four digits', async () => {
    const byName = (await get(`/api/customers?q=${encodeURIComponent('顾客07')}`, 'store_manager')).json<Page>();
    expect(byName.items.map((c) => c.id)).toEqual([ids[7]]);
    const byPhone = (await get('/api/customers?q=4321', 'store_manager')).json<Page>();
    expect(byPhone.items.map((c) => c.id)).toEqual([ids[3]]);
  });

  it.each(['customer', 'technician'])('refuses the list to a %s (403)', async (role) => {
    const res = await get('/api/customers', role);
    expect(res.statusCode).toBe(403);
  });

  it('refuses anonymous callers (401)', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/t/${store.slug}/api/customers` });
    expect(res.statusCode).toBe(401);
  });

  it('shows one customer to staff and a customer only themself', async () => {
    expect((await get(`/api/customers/${ids[5]}`, 'store_staff')).json()).toMatchObject({ id: ids[5] });
    expect((await get(`/api/customers/${ids[0]}`, 'customer')).statusCode).toBe(200);
    expect((await get(`/api/customers/${ids[5]}`, 'customer')).statusCode).toBe(404);
    expect((await get(`/api/customers/${ids[5]}`, 'technician')).statusCode).toBe(403);
    expect((await get(`/api/customers/${otherCustomer}`, 'tenant_owner')).statusCode).toBe(404);
    expect((await get(`/api/customers/${randomUUID()}`, 'tenant_owner')).statusCode).toBe(404);
  });

  it('lets a manager rename a customer, audited; staff may not', async () => {
    const patch = (id: string, role: string, nickname: string) =>
      t.app.inject({
        method: 'PATCH',
        url: `/t/${store.slug}/api/customers/${id}`,
        headers: { authorization: `Bearer ${tokens[role]}` },
        payload: { nickname },
      });
    const ok = await patch(ids[9]!, 'store_manager', ' 李先生 ');
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ id: ids[9], nickname: '李先生' });
    const audit = await f.query(`SELECT action, tenant_id FROM audit_events WHERE target_id = $1`, [ids[9]]);
    expect(audit.rows).toEqual([{ action: 'customer.renamed', tenant_id: store.id }]);

    expect((await patch(ids[9]!, 'store_staff', 'x')).statusCode).toBe(403);
    expect((await patch(ids[0]!, 'customer', '我自己')).statusCode).toBe(200);
    expect((await patch(ids[9]!, 'customer', '别人')).statusCode).toBe(404);
    expect((await patch(otherCustomer, 'store_manager', 'x')).statusCode).toBe(404);
    const untouched = await f.query(`SELECT nickname FROM customers WHERE id = $1`, [otherCustomer]);
    expect(untouched.rows[0]).toEqual({ nickname: '别家顾客' });
  });
});
