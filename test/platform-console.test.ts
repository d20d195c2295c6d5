import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../src/platform/auth/actor';
import { TenantDirectory } from '../src/platform/tenancy/tenant-directory';
import { Factory, type TestTenant } from './support/factories';
import { SmtpCapture } from './support/smtp-capture';
import { createTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';

describe('platform console', () => {
  let db: TestDatabase;
  let t: TestApp;
  let f: Factory;
  const smtp = new SmtpCapture();
  let operatorId: string;
  let operatorToken: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await createTestApp(db, { SMTP_URL: await smtp.start(), QUEUE_BACKOFF_MS: '100' });
    f = await Factory.create(db, t.app);
    const { rows } = await f.query<{ id: string }>(
      `INSERT INTO platform_operators (email, password_hash, name) VALUES ($1, 'x', '运营') RETURNING id`,
      [`ops-${randomUUID().slice(0, 8)}@platform.test`],
    );
    operatorId = rows[0]!.id;
    operatorToken = await f.token({ id: operatorId, role: 'platform_operator', tenantId: null });
  });
  afterAll(async () => {
    await t?.close();
    await smtp.stop();
    await f?.close();
    await db?.drop();
  });

  const call = (method: 'GET' | 'POST', url: string, payload?: object, token: string | null = operatorToken) =>
    t.app.inject({ method, url, payload, headers: token ? { authorization: `Bearer ${token}` } : {} });

  async function pendingStoreWithOwner(): Promise<TestTenant & { ownerEmail: string }> {
    const tenant = await f.newTenant({ status: 'pending' });
    const owner = await f.newStaff(tenant, { role: 'tenant_owner' });
    return { ...tenant, ownerEmail: owner.email };
  }

  it('is closed to everyone but platform operators', async () => {
    const store = await f.newTenant();
    const staff = await f.newStaff(store, { role: 'tenant_owner' });
    const roles: Role[] = ['tenant_owner', 'store_manager', 'store_staff', 'technician', 'customer'];
    for (const role of roles) {
      const token = await f.token({ id: staff.id, role, tenantId: store.id });
      for (const [method, url] of [
        ['GET', '/api/platform/tenants'],
        ['GET', `/api/platform/tenants/${store.id}`],
        ['POST', `/api/platform/tenants/${store.id}/suspend`],
        ['GET', '/api/platform/audit'],
      ] as const) {
        const res = await call(method, url, method === 'POST' ? { reason: 'x' } : undefined, token);
        expect(res.statusCode, `${role} ${method} ${url}`).toBe(403);
      }
    }
    expect((await call('GET', '/api/platform/tenants', undefined, null)).statusCode).toBe(401);
    const { rows } = await f.query(`SELECT status FROM tenants WHERE id = $1`, [store.id]);
    expect(rows[0]!.status).toBe('active');
  });

  it('lists stores by status, paginated, and shows one store', async () => {
    const mine = await Promise.all([pendingStoreWithOwner(), pendingStoreWithOwner(), pendingStoreWithOwner()]);
    const page1 = await call('GET', '/api/platform/tenants?status=pending&pageSize=2');
    expect(page1.statusCode).toBe(200);
    const p1 = page1.json();
    expect(p1.items).toHaveLength(2);
    expect(p1.total).toBeGreaterThanOrEqual(3);
    expect(p1.items.every((x: { status: string }) => x.status === 'pending')).toBe(true);
    const page2 = (await call('GET', `/api/platform/tenants?status=pending&pageSize=2&page=2`)).json();
    const seen = [...p1.items, ...page2.items].map((x: { id: string }) => x.id);
    expect(new Set(seen).size).toBe(seen.length);

    const one = await call('GET', `/api/platform/tenants/${mine[0]!.id}`);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ id: mine[0]!.id, slug: mine[0]!.slug, status: 'pending', application: null });

    expect((await call('GET', `/api/platform/tenants/${randomUUID()}`)).statusCode).toBe(404);
    const bad = await call('GET', '/api/platform/tenants/not-a-uuid');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields[0].field).toBe('id');
    const badStatus = await call('GET', '/api/platform/tenants?status=closed&pageSize=500');
    expect(
      badStatus
        .json()
        .fields.map((x: { field: string }) => x.field)
        .sort(),
    ).toEqual(['pageSize', 'status']);
  });

  it('approves, suspends and reactivates through the audited platform path, refreshing the store directory', async () => {
    const store = await pendingStoreWithOwner();
    const directory = t.app.get(TenantDirectory);
    expect((await directory.findBySlug(store.slug))?.status).toBe('pending'); // warm the cache

    const approved = await call('POST', `/api/platform/tenants/${store.id}/approve`);
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toEqual({ id: store.id, slug: store.slug, name: store.name, status: 'active' });
    expect((await directory.findBySlug(store.slug))?.status).toBe('active');
    const mail = await smtp.waitFor(store.ownerEmail);
    expect(mail.subject).toContain('已通过审核');

    const suspended = await call('POST', `/api/platform/tenants/${store.id}/suspend`, { reason: '多次投诉未处理' });
    expect(suspended.json().status).toBe('suspended');
    expect((await directory.findBySlug(store.slug))?.status).toBe('suspended');
    const { rows } = await f.query(`SELECT status, status_reason FROM tenants WHERE id = $1`, [store.id]);
    expect(rows[0]).toEqual({ status: 'suspended', status_reason: '多次投诉未处理' });

    expect((await call('POST', `/api/platform/tenants/${store.id}/reactivate`)).json().status).toBe('active');

    const audit = await call('GET', `/api/platform/audit?tenantId=${store.id}&action=tenant.status&pageSize=10`);
    expect(audit.statusCode).toBe(200);
    const events = audit.json().items;
    // Newest first: reactivated, suspended, approved.
    expect(events.map((e: { action: string }) => e.action)).toEqual([
      'tenant.status.active',
      'tenant.status.suspended',
      'tenant.status.active',
    ]);
    expect(events[1]).toMatchObject({
      actorType: 'operator',
      actorId: operatorId,
      targetTenantId: store.id,
      details: { from: 'active', to: 'suspended', reason: '多次投诉未处理' },
    });
  });

  it('refuses illegal transitions (409), unknown stores (404) and a missing reason (400)', async () => {
    const store = await pendingStoreWithOwner();
    expect((await call('POST', `/api/platform/tenants/${store.id}/suspend`, { reason: 'x' })).statusCode).toBe(409);
    expect((await call('POST', `/api/platform/tenants/${store.id}/reactivate`)).statusCode).toBe(409);

    const noReason = await call('POST', `/api/platform/tenants/${store.id}/reject`, { reason: '   ' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().fields.map((x: { field: string }) => x.field)).toEqual(['reason']);
    expect((await call('POST', `/api/platform/tenants/${store.id}/reject`, {})).statusCode).toBe(400);

    expect((await call('POST', `/api/platform/tenants/${store.id}/reject`, { reason: '资料不全' })).statusCode).toBe(
      200,
    );
    const again = await call('POST', `/api/platform/tenants/${store.id}/approve`);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('ILLEGAL_TRANSITION');

    const unknown = await call('POST', `/api/platform/tenants/${randomUUID()}/approve`);
    expect(unknown.statusCode).toBe(404);
  });

  it('lets exactly one of two concurrent approvals win, audited once', async () => {
    const store = await pendingStoreWithOwner();
    const results = await Promise.all([1, 2, 3].map(() => call('POST', `/api/platform/tenants/${store.id}/approve`)));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409, 409]);
    const { rows } = await f.query(
      `SELECT count(*)::int AS n FROM platform_audit_events WHERE target_tenant_id = $1 AND action = 'tenant.status.active'`,
      [store.id],
    );
    expect(rows[0]!.n).toBe(1);
  });
});
