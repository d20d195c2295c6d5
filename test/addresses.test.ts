import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Factory, type TestTenant } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { orderCustomer } from './support/order-fixtures';

describe('address book', () => {
  let db: TestDatabase;
  let t: TestApp;
  let f: Factory;
  let a: TestTenant;
  let b: TestTenant;
  const tok: Record<string, string> = {};

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await createTestApp(db, { RUN_WORKERS: 'false' });
    f = await Factory.create(db, t.app);
    a = await f.newTenant();
    b = await f.newTenant();
    const owner = await f.newStaff(a, { role: 'tenant_owner' });
    tok.ownerA = await f.token({ id: owner.id, role: 'tenant_owner', tenantId: a.id });
    const tech = await f.newTechnician(a, { status: 'approved' });
    tok.techA = await f.token({ id: tech.id, role: 'technician', tenantId: a.id });
  });
  afterAll(async () => {
    await f?.close();
    await t?.close();
    await db?.drop();
  });

  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    tenant: TestTenant,
    path: string,
    token?: string,
    payload?: object,
  ) =>
    t.app.inject({
      method,
      url: `/t/${tenant.slug}/api/${path}`,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(payload ? { payload } : {}),
    });

  const body = (over: object = {}) => ({
    contactName: '王女士',
    phone: '+86 138-1234-5678',
    lat: 31.23,
    lng: 121.47,
    addressText: '上海市静安区南京西路1266号',
    houseNumber: '2座1801室',
    kind: 'hotel',
    ...over,
  });

  it('adds addresses: the first is the default, the phone is stored encrypted and shown masked', async () => {
    const c = await orderCustomer(f, t.app, a);
    await f.query(`DELETE FROM customer_addresses WHERE customer_id = $1`, [c.id]);
    const first = await call('POST', a, 'addresses', c.token, body());
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ isDefault: true, phoneMasked: '138****5678', kind: 'hotel' });
    expect(first.body).not.toContain('13812345678');
    const raw = await f.query(`SELECT phone_enc FROM customer_addresses WHERE id = $1`, [first.json().id]);
    expect(Buffer.from(raw.rows[0]!.phone_enc).toString('latin1')).not.toContain('13812345678');

    const second = (await call('POST', a, 'addresses', c.token, body({ kind: 'home', isDefault: true }))).json();
    const list = (await call('GET', a, 'addresses', c.token)).json();
    expect(list.map((x: { id: string; isDefault: boolean }) => [x.id, x.isDefault])).toEqual([
      [second.id, true],
      [first.json().id, false],
    ]);
  });

  it('updates and soft-deletes only my own addresses; others’ ids → 404', async () => {
    const c1 = await orderCustomer(f, t.app, a);
    const c2 = await orderCustomer(f, t.app, a);
    const patched = await call('PATCH', a, `addresses/${c1.addressId}`, c1.token, { houseNumber: '3号' });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().houseNumber).toBe('3号');
    for (const [m, p] of [
      ['GET', undefined],
      ['PATCH', { houseNumber: 'x' }],
      ['DELETE', undefined],
    ] as const) {
      expect((await call(m, a, `addresses/${c1.addressId}`, c2.token, p)).statusCode).toBe(404);
    }
    expect((await call('DELETE', a, `addresses/${c1.addressId}`, c1.token)).statusCode).toBe(204);
    expect((await call('GET', a, `addresses/${c1.addressId}`, c1.token)).statusCode).toBe(404);
    const row = await f.query(`SELECT deleted_at FROM customer_addresses WHERE id = $1`, [c1.addressId]);
    expect(row.rows[0]!.deleted_at).not.toBeNull();
  });

  it('names the bad field', async () => {
    const c = await orderCustomer(f, t.app, a);
    for (const [over, field] of [
      [{ phone: '12345678901' }, 'phone'],
      [{ lat: 91 }, 'lat'],
      [{ kind: 'office' }, 'kind'],
      [{ houseNumber: '' }, 'houseNumber'],
    ] as const) {
      const res = await call('POST', a, 'addresses', c.token, body(over));
      expect(res.statusCode).toBe(400);
      expect(res.json().fields.map((x: { field: string }) => x.field)).toContain(field);
    }
  });

  it('is for customers only, and only in their own store', async () => {
    const c = await orderCustomer(f, t.app, a);
    const cb = await orderCustomer(f, t.app, b);
    for (const who of ['ownerA', 'techA']) {
      expect((await call('GET', a, 'addresses', tok[who])).statusCode).toBe(403);
      expect((await call('POST', a, 'addresses', tok[who], body())).statusCode).toBe(403);
    }
    expect((await call('GET', a, 'addresses')).statusCode).toBe(401);
    expect((await call('GET', b, 'addresses', c.token)).statusCode).toBe(403);
    expect((await call('GET', a, `addresses/${cb.addressId}`, c.token)).statusCode).toBe(404);
    expect((await call('GET', a, `addresses/${randomUUID()}`, c.token)).statusCode).toBe(404);
  });
});
