import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TenantDirectory } from '../src/platform/tenancy/tenant-directory';
import { Factory, type TestTenant } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';

/** What a store's status means for each kind of caller (issue 2 item 3), end to end through HTTP. */
describe('store status and store resolution', () => {
  let db: TestDatabase;
  let t: TestApp;
  let f: Factory;

  interface Store {
    tenant: TestTenant;
    owner: string;
    staff: string;
    customer: string;
    technician: string;
  }
  const stores: Record<'open' | 'suspended' | 'pending', Store> = {} as never;

  const req = (method: 'GET' | 'PATCH', url: string, token?: string, extra: { host?: string; payload?: object } = {}) =>
    t.app.inject({
      method,
      url,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(extra.host ? { host: extra.host } : {}) },
      ...(extra.payload ? { payload: extra.payload } : {}),
    });

  async function store(status: string): Promise<Store> {
    const tenant = await f.newTenant({ status });
    const owner = await f.newStaff(tenant, { role: 'tenant_owner' });
    const staff = await f.newStaff(tenant, { role: 'store_staff' });
    return {
      tenant,
      owner: await f.token({ id: owner.id, role: 'tenant_owner', tenantId: tenant.id }),
      staff: await f.token({ id: staff.id, role: 'store_staff', tenantId: tenant.id }),
      customer: await f.token({ id: randomUUID(), role: 'customer', tenantId: tenant.id }),
      technician: await f.token({ id: randomUUID(), role: 'technician', tenantId: tenant.id }),
    };
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await createTestApp(db);
    f = await Factory.create(db, t.app);
    stores.open = await store('active');
    stores.suspended = await store('active');
    stores.pending = await store('pending');
    // Suspend through the platform path, as an operator would, then announce the change.
    await f.query(`SELECT * FROM platform.set_tenant_status($1, 'suspended', '证照过期', 'operator', NULL, NULL)`, [
      stores.suspended.tenant.id,
    ]);
    await t.app.get(TenantDirectory).invalidate();
  });
  afterAll(async () => {
    await t?.close();
    await f?.close();
    await db?.drop();
  });

  it('a suspended store: the public page shows the closed notice', async () => {
    const res = await req('GET', `/t/${stores.suspended.tenant.slug}/api/store`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'suspended',
      closed: true,
      notice: { 'zh-CN': expect.stringContaining('暂停营业'), en: expect.stringContaining('closed') },
    });
    const open = (await req('GET', `/t/${stores.open.tenant.slug}/api/store`)).json();
    expect(open).toMatchObject({ status: 'active', closed: false });
    expect(open.notice).toBeUndefined();
  });

  it('a suspended store: customers and technicians get 403 STORE_CLOSED', async () => {
    const s = stores.suspended;
    for (const token of [s.customer, s.technician]) {
      const res = await req('GET', `/t/${s.tenant.slug}/api/store/profile`, token);
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ code: 'STORE_CLOSED', status: 'suspended' });
    }
    // the same routes at an open store fail on the role instead, not the status
    const open = await req('GET', `/t/${stores.open.tenant.slug}/api/store/profile`, stores.open.customer);
    expect(open.statusCode).toBe(403);
    expect(open.json().code).not.toBe('STORE_CLOSED');
  });

  it('a suspended store: staff can read, every write is 403 STORE_READ_ONLY', async () => {
    const s = stores.suspended;
    expect((await req('GET', `/t/${s.tenant.slug}/api/store/profile`, s.owner)).statusCode).toBe(200);
    expect((await req('GET', `/t/${s.tenant.slug}/api/store/profile`, s.staff)).statusCode).toBe(200);
    for (const [path, payload] of [
      ['/api/store/profile', { introduction: 'x' }],
      ['/api/store/branding', { themeColor: '#000000' }],
    ] as const) {
      const res = await req('PATCH', `/t/${s.tenant.slug}${path}`, s.owner, { payload });
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('STORE_READ_ONLY');
    }
    const row = await f.query(`SELECT theme_color FROM tenants WHERE id = $1`, [s.tenant.id]);
    expect(row.rows[0]!.theme_color).toBe('#ee0a24');
    // the open store's owner can write
    const ok = await req('PATCH', `/t/${stores.open.tenant.slug}/api/store/profile`, stores.open.owner, {
      payload: { introduction: 'open for business' },
    });
    expect(ok.statusCode).toBe(200);
  });

  it('a pending store is closed to customers but its owner can set it up', async () => {
    const p = stores.pending;
    expect((await req('GET', `/t/${p.tenant.slug}/api/store`)).json()).toMatchObject({
      status: 'pending',
      closed: true,
      notice: { 'zh-CN': expect.stringContaining('即将开业') },
    });
    const res = await req('GET', `/t/${p.tenant.slug}/api/store/profile`, p.customer);
    expect(res.json()).toMatchObject({ statusCode: 403, code: 'STORE_CLOSED' });
    const setup = await req('PATCH', `/t/${p.tenant.slug}/api/store/profile`, p.owner, {
      payload: { introduction: '筹备中' },
    });
    expect(setup.statusCode).toBe(200);
  });

  it('reactivation takes effect at once', async () => {
    const fresh = await store('active');
    await f.query(`SELECT * FROM platform.set_tenant_status($1, 'suspended', 'x', 'operator', NULL, NULL)`, [
      fresh.tenant.id,
    ]);
    await t.app.get(TenantDirectory).invalidate();
    expect((await req('GET', `/t/${fresh.tenant.slug}/api/store/profile`, fresh.customer)).json().code).toBe(
      'STORE_CLOSED',
    );
    await f.query(`SELECT * FROM platform.set_tenant_status($1, 'active', NULL, 'operator', NULL, NULL)`, [
      fresh.tenant.id,
    ]);
    await t.app.get(TenantDirectory).invalidate();
    expect((await req('GET', `/t/${fresh.tenant.slug}/api/store`)).json().closed).toBe(false);
    expect(
      (await req('PATCH', `/t/${fresh.tenant.slug}/api/store/branding`, fresh.owner, { payload: {} })).statusCode,
    ).toBe(200);
  });

  it('resolves the store from {slug}.massage.test and from /t/{slug}/ alike', async () => {
    const { tenant } = stores.open;
    const byHost = await req('GET', '/api/store', undefined, { host: `${tenant.slug}.massage.test` });
    const byPath = await req('GET', `/t/${tenant.slug}/api/store`);
    expect(byHost.statusCode).toBe(200);
    expect(byHost.json().slug).toBe(tenant.slug);
    expect(byHost.json()).toEqual(byPath.json());
    // port and case in the host are ignored
    const upper = await req('GET', '/api/store', undefined, { host: `${tenant.slug.toUpperCase()}.MASSAGE.test:8443` });
    expect(upper.json().slug).toBe(tenant.slug);
    // the token alone also identifies the store for signed-in staff
    const byToken = await req('GET', '/api/store/profile', stores.open.owner);
    expect(byToken.statusCode).toBe(200);
    // a token of another store on this store's host is refused
    const wrong = await req('GET', '/api/store/profile', stores.pending.owner, { host: `${tenant.slug}.massage.test` });
    expect(wrong.statusCode).toBe(403);
  });

  it('an unknown store is 404 by host and by path; no store at all is 400', async () => {
    const path = await req('GET', '/t/no-such-store/api/store');
    expect(path.statusCode).toBe(404);
    const host = await req('GET', '/api/store', undefined, { host: 'no-such-store.massage.test' });
    expect(host.statusCode).toBe(404);
    expect((await req('GET', '/api/store')).statusCode).toBe(400);
  });
});
