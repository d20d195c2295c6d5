import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Factory, type TestTenant } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { insertCustomer } from './support/tenant-table-seeds';

const b64url = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');

describe('HTTP tenancy and input edges', () => {
  let db: TestDatabase;
  let t: TestApp;
  let f: Factory;
  let storeA: TestTenant;
  let storeB: TestTenant;
  let managerA: { id: string };
  let tokenA: string;
  let tokenB: string;
  let customerA: string;
  let customerB: string;

  const call = (opts: {
    method?: 'GET' | 'PATCH';
    url: string;
    token?: string;
    payload?: string | object;
    headers?: Record<string, string>;
  }) =>
    t.app.inject({
      method: opts.method ?? 'GET',
      url: opts.url,
      headers: { ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...opts.headers },
      ...(opts.payload !== undefined ? { payload: opts.payload } : {}),
    });

  /** Claims exactly as the app issues them, so only the property under test differs. */
  const claims = () => ({ kind: 'staff', role: 'store_manager', tid: storeA.id, sid: randomUUID() });

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await createTestApp(db, { BODY_LIMIT_BYTES: '2048' });
    f = await Factory.create(db, t.app);
    storeA = await f.newTenant();
    storeB = await f.newTenant();
    managerA = await f.newStaff(storeA, { role: 'store_manager' });
    const managerB = await f.newStaff(storeB, { role: 'store_manager' });
    tokenA = await f.token({ id: managerA.id, role: 'store_manager', tenantId: storeA.id });
    tokenB = await f.token({ id: managerB.id, role: 'store_manager', tenantId: storeB.id });
    customerA = await insertCustomer(f, storeA.id, 'A店顾客');
    customerB = await insertCustomer(f, storeB.id, 'B店顾客');
  });
  afterAll(async () => {
    await f?.close();
    await t?.close();
    await db?.drop();
  });

  it("answers 200 for a store's own manager (the control case)", async () => {
    const res = await call({ url: `/t/${storeA.slug}/api/customers`, token: tokenA });
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((c: { id: string }) => c.id)).toEqual([customerA]);
  });

  it("refuses store A's token on store B: path and host (403)", async () => {
    const byPath = await call({ url: `/t/${storeB.slug}/api/customers`, token: tokenA });
    expect(byPath.statusCode).toBe(403);
    expect(byPath.body).not.toContain('B店顾客');
    const byHost = await call({
      url: '/api/customers',
      token: tokenA,
      headers: { host: `${storeB.slug}.massage.test` },
    });
    expect(byHost.statusCode).toBe(403);
    const write = await call({
      method: 'PATCH',
      url: `/t/${storeB.slug}/api/customers/${customerB}`,
      token: tokenA,
      payload: { nickname: '入侵' },
    });
    expect(write.statusCode).toBe(403);
  });

  it("answers B's customer id on A's store with a 404 identical to a random id's", async () => {
    const headers = { 'x-request-id': 'same-request-id-1' };
    const foreign = await call({ url: `/t/${storeA.slug}/api/customers/${customerB}`, token: tokenA, headers });
    const random = await call({ url: `/t/${storeA.slug}/api/customers/${randomUUID()}`, token: tokenA, headers });
    expect(foreign.statusCode).toBe(404);
    expect(random.statusCode).toBe(404);
    expect(foreign.body).toBe(random.body);
    expect(foreign.body).not.toContain(customerB);

    const patchForeign = await call({
      method: 'PATCH',
      url: `/t/${storeA.slug}/api/customers/${customerB}`,
      token: tokenA,
      payload: { nickname: '改名' },
      headers,
    });
    const patchRandom = await call({
      method: 'PATCH',
      url: `/t/${storeA.slug}/api/customers/${randomUUID()}`,
      token: tokenA,
      payload: { nickname: '改名' },
      headers,
    });
    expect(patchForeign.statusCode).toBe(404);
    expect(patchForeign.body).toBe(patchRandom.body);
    const stillB = await f.query(`SELECT nickname FROM customers WHERE id = $1`, [customerB]);
    expect(stillB.rows[0]).toEqual({ nickname: 'B店顾客' });
  });

  it('answers invalid query fields with 400 naming each of them', async () => {
    const res = await call({ url: `/t/${storeA.slug}/api/customers?limit=0&cursor=nope&bogus=1`, token: tokenA });
    expect(res.statusCode).toBe(400);
    const fields = (res.json().fields as { field: string }[]).map((x) => x.field).sort();
    expect(fields).toEqual(['bogus', 'cursor', 'limit']);
    const big = await call({ url: `/t/${storeA.slug}/api/customers?limit=101`, token: tokenA });
    expect(big.statusCode).toBe(400);
    expect(big.json().fields).toEqual([expect.objectContaining({ field: 'limit' })]);
  });

  it('answers an invalid body field and a malformed id with 400', async () => {
    const res = await call({
      method: 'PATCH',
      url: `/t/${storeA.slug}/api/customers/${customerA}`,
      token: tokenA,
      payload: { nickname: '', role: 'admin' },
    });
    expect(res.statusCode).toBe(400);
    expect((res.json().fields as { field: string }[]).map((x) => x.field).sort()).toEqual(['nickname', 'role']);
    const badId = await call({ url: `/t/${storeA.slug}/api/customers/not-a-uuid`, token: tokenA });
    expect(badId.statusCode).toBe(400);
  });

  it('answers malformed JSON with 400', async () => {
    const res = await call({
      method: 'PATCH',
      url: `/t/${storeA.slug}/api/customers/${customerA}`,
      token: tokenA,
      headers: { 'content-type': 'application/json' },
      payload: '{"nickname": "半个',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ statusCode: 400, code: 'MALFORMED_JSON', message: 'malformed JSON body' });
    expect(res.json().requestId).toEqual(expect.any(String));
  });

  it('answers an oversized body with 413', async () => {
    const res = await call({
      method: 'PATCH',
      url: `/t/${storeA.slug}/api/customers/${customerA}`,
      token: tokenA,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ nickname: 'x'.repeat(4096) }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ statusCode: 413, code: 'BODY_TOO_LARGE' });
  });

  it('answers expired, forged and unsigned tokens with 401', async () => {
    const url = `/t/${storeA.slug}/api/customers`;
    const secret = new TextEncoder().encode(t.config.JWT_SECRET);
    const expired = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(managerA.id)
      .setIssuer('massage-saas')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(secret);
    const wrongSecret = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(managerA.id)
      .setIssuer('massage-saas')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode('x'.repeat(64)));
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({
      ...claims(),
      sub: managerA.id,
      iss: 'massage-saas',
      iat: now,
      exp: now + 600,
    })}.`;
    // Sanity: the same claims signed with the right secret are accepted.
    const good = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(managerA.id)
      .setIssuer('massage-saas')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(secret);
    expect((await call({ url, token: good })).statusCode).toBe(200);

    for (const [name, token] of Object.entries({ expired, wrongSecret, unsigned, garbage: 'not.a.jwt' })) {
      const res = await call({ url, token });
      expect(res.statusCode, name).toBe(401);
      expect(res.body, name).not.toContain('A店顾客');
    }
    expect((await call({ url })).statusCode).toBe(401);
  });

  it('answers an unknown store slug with 404', async () => {
    const res = await call({ url: '/t/no-such-store/api/customers', token: tokenA });
    expect(res.statusCode).toBe(404);
    const byHost = await call({
      url: '/api/customers',
      token: tokenB,
      headers: { host: 'no-such-store.massage.test' },
    });
    expect(byHost.statusCode).toBe(404);
  });
});
