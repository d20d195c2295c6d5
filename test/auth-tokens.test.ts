import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Factory, type TestTenant } from './support/factories';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { createTestApp, type TestApp } from './support/test-app';
import { captureSms, newIp, newPhone } from './support/auth-client';

interface Tokens {
  accessToken: string;
  refreshToken: string;
  principal: { id: string; kind: string; role: string };
}

describe('staff and operator sign-in, refresh rotation, sessions', () => {
  let db: TestDatabase;
  let t: TestApp;
  let f: Factory;
  let sms: ReturnType<typeof captureSms>;
  let storeA: TestTenant;
  let storeB: TestTenant;

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await createTestApp(db, { PASSWORD_ATTEMPTS_PER_ACCOUNT_PER_15_MIN: '4' });
    f = await Factory.create(db, t.app);
    sms = captureSms(t.app);
    storeA = await f.newTenant();
    storeB = await f.newTenant();
  });
  afterAll(async () => {
    await f?.close();
    await t?.close();
    await db?.drop();
  });

  const post = (url: string, payload: object, headers: Record<string, string> = {}, ip = newIp()) =>
    t.app.inject({ method: 'POST', url, payload, headers, remoteAddress: ip });
  const get = (url: string, token: string) =>
    t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  async function staffLogin(store: TestTenant, email: string, password: string, ua = 'vitest'): Promise<Tokens> {
    const res = await post(`/t/${store.slug}/api/auth/staff/login`, { email, password }, { 'user-agent': ua });
    expect(res.statusCode).toBe(200);
    return res.json();
  }

  async function customerLogin(store: TestTenant): Promise<Tokens> {
    const phone = newPhone();
    await post(`/t/${store.slug}/api/auth/sms/send`, { phone, purpose: 'customer' });
    const res = await post(`/t/${store.slug}/api/auth/customer/login`, { phone, code: sms.last(phone) });
    expect(res.statusCode).toBe(200);
    return res.json();
  }

  const refresh = (store: TestTenant, refreshToken: string) =>
    post(`/t/${store.slug}/api/auth/refresh`, { refreshToken });

  describe('staff password sign-in', () => {
    it('signs in; wrong password and unknown e-mail both 401 with the same message; both audited', async () => {
      const staff = await f.newStaff(storeA, { role: 'store_manager' });
      const ok = await staffLogin(storeA, staff.email.toUpperCase(), staff.password);
      expect(ok.principal).toMatchObject({ kind: 'staff', role: 'store_manager', id: staff.id });
      expect((await get(`/t/${storeA.slug}/api/auth/me`, ok.accessToken)).json()).toMatchObject({
        id: staff.id,
        email: staff.email,
      });

      const wrong = await post(`/t/${storeA.slug}/api/auth/staff/login`, { email: staff.email, password: 'nope' });
      const unknown = await post(`/t/${storeA.slug}/api/auth/staff/login`, {
        email: 'nobody@example.com',
        password: 'nope',
      });
      expect(wrong.statusCode).toBe(401);
      expect(unknown.statusCode).toBe(401);
      const strip = (b: Record<string, unknown>) => ({ ...b, requestId: undefined });
      expect(strip(wrong.json())).toEqual(strip(unknown.json()));
      expect(wrong.json()).toMatchObject({ code: 'INVALID_CREDENTIALS' });

      const { rows } = await f.query<{ action: string; reason: string; ip: string | null }>(
        `SELECT action, details->>'reason' AS reason, host(ip) AS ip FROM audit_events WHERE tenant_id = $1 ORDER BY created_at`,
        [storeA.id],
      );
      expect(rows.map((r) => `${r.action}:${r.reason ?? ''}`)).toEqual(
        expect.arrayContaining([
          'auth.sign_in:',
          'auth.sign_in_failed:wrong_password',
          'auth.sign_in_failed:unknown_account',
        ]),
      );
      expect(rows.every((r) => r.ip !== null)).toBe(true);
    });

    it('staff of another store cannot sign in here', async () => {
      const staffB = await f.newStaff(storeB);
      const res = await post(`/t/${storeA.slug}/api/auth/staff/login`, {
        email: staffB.email,
        password: staffB.password,
      });
      expect(res.statusCode).toBe(401);
    });

    it('password guessing on one account → 429 with Retry-After, even with the right password', async () => {
      const staff = await f.newStaff(storeA);
      const tries = await Promise.all(
        Array.from({ length: 4 }, () =>
          post(`/t/${storeA.slug}/api/auth/staff/login`, { email: staff.email, password: 'guess' }),
        ),
      );
      expect(tries.map((r) => r.statusCode)).toEqual([401, 401, 401, 401]);
      const fifth = await post(`/t/${storeA.slug}/api/auth/staff/login`, {
        email: staff.email,
        password: staff.password,
      });
      expect(fifth.statusCode).toBe(429);
      expect(fifth.json().code).toBe('RATE_LIMITED');
      expect(Number(fifth.headers['retry-after'])).toBeGreaterThan(0);
    });

    it('staff can sign in to a pending or suspended store; customers cannot', async () => {
      const suspended = await f.newTenant({ status: 'suspended' });
      const owner = await f.newStaff(suspended);
      await staffLogin(suspended, owner.email, owner.password);
      const send = await post(`/t/${suspended.slug}/api/auth/sms/send`, { phone: newPhone(), purpose: 'customer' });
      expect(send.statusCode).toBe(403);
    });

    it('invalid fields → 400 naming them', async () => {
      const res = await post(`/t/${storeA.slug}/api/auth/staff/login`, { email: 'not-an-email', password: 42 });
      expect(res.statusCode).toBe(400);
      expect(
        res
          .json()
          .fields.map((x: { field: string }) => x.field)
          .sort(),
      ).toEqual(['email', 'password']);
      const r2 = await post(`/t/${storeA.slug}/api/auth/refresh`, { refreshToken: 7 });
      expect(r2.statusCode).toBe(400);
      expect(r2.json().fields.map((x: { field: string }) => x.field)).toEqual(['refreshToken']);
    });
  });

  describe('refresh tokens', () => {
    it('rotate: the new pair works, the access token carries the same session', async () => {
      const staff = await f.newStaff(storeA);
      const first = await staffLogin(storeA, staff.email, staff.password);
      const res = await refresh(storeA, first.refreshToken);
      expect(res.statusCode).toBe(200);
      const second: Tokens = res.json();
      expect(second.refreshToken).not.toBe(first.refreshToken);
      expect(second.refreshToken.startsWith(`${storeA.id}.`)).toBe(true);
      expect((await get(`/t/${storeA.slug}/api/auth/me`, second.accessToken)).statusCode).toBe(200);
      const third = await refresh(storeA, second.refreshToken);
      expect(third.statusCode).toBe(200);
      // Only a hash of each token is stored, one row per issued token in one family.
      const { rows } = await f.query<{ token_hash: Buffer; session_id: string }>(
        `SELECT rt.token_hash, rt.session_id FROM refresh_tokens rt JOIN auth_sessions s
            ON s.tenant_id = rt.tenant_id AND s.id = rt.session_id WHERE s.principal_id = $1`,
        [staff.id],
      );
      expect(rows).toHaveLength(3);
      expect(new Set(rows.map((r) => r.session_id)).size).toBe(1);
      for (const r of rows) expect(r.token_hash.toString('latin1')).not.toContain(first.refreshToken.split('.')[1]);
    });

    it('reuse of a rotated token revokes the family: its access token and newest refresh token stop working', async () => {
      const customer = await customerLogin(storeA);
      const rotated = await refresh(storeA, customer.refreshToken);
      expect(rotated.statusCode).toBe(200);
      const latest: Tokens = rotated.json();
      expect((await get(`/t/${storeA.slug}/api/auth/me`, latest.accessToken)).statusCode).toBe(200);

      const reuse = await refresh(storeA, customer.refreshToken);
      expect(reuse.statusCode).toBe(401);
      expect(reuse.json().code).toBe('INVALID_REFRESH_TOKEN');
      expect((await get(`/t/${storeA.slug}/api/auth/me`, latest.accessToken)).statusCode).toBe(401);
      expect((await get(`/t/${storeA.slug}/api/auth/me`, customer.accessToken)).statusCode).toBe(401);
      expect((await refresh(storeA, latest.refreshToken)).statusCode).toBe(401);

      const { rows } = await f.query(
        `SELECT revoked_reason FROM auth_sessions WHERE tenant_id = $1 AND principal_id = $2`,
        [storeA.id, customer.principal.id],
      );
      expect(rows).toEqual([{ revoked_reason: 'refresh_token_reuse' }]);
      const audit = await f.query(
        `SELECT count(*)::int AS n FROM audit_events WHERE tenant_id = $1 AND action = 'auth.refresh_token_reused' AND actor_id = $2`,
        [storeA.id, customer.principal.id],
      );
      expect(audit.rows[0]!.n).toBe(1);
    });

    it('two parallel refreshes with one token: one wins, the other counts as reuse and ends the session', async () => {
      const customer = await customerLogin(storeA);
      const results = await Promise.all([
        refresh(storeA, customer.refreshToken),
        refresh(storeA, customer.refreshToken),
      ]);
      expect(results.map((r) => r.statusCode).sort()).toEqual([200, 401]);
      const winner: Tokens = results.find((r) => r.statusCode === 200)!.json();
      expect((await get(`/t/${storeA.slug}/api/auth/me`, winner.accessToken)).statusCode).toBe(401);
      expect((await refresh(storeA, winner.refreshToken)).statusCode).toBe(401);
    });

    it("store A's refresh token at store B → 401 that reveals nothing; garbage → 401", async () => {
      const customer = await customerLogin(storeA);
      const atB = await refresh(storeB, customer.refreshToken);
      const garbage = await refresh(storeB, `${storeB.id}.${'x'.repeat(43)}`);
      expect(atB.statusCode).toBe(401);
      expect(garbage.statusCode).toBe(401);
      expect({ ...atB.json(), requestId: 0 }).toEqual({ ...garbage.json(), requestId: 0 });
      // …and the token still works at its own store (nothing was spent).
      expect((await refresh(storeA, customer.refreshToken)).statusCode).toBe(200);
    });
  });

  describe('logout and session list', () => {
    it('logout ends the session: access token 401, refresh token 401', async () => {
      const staff = await f.newStaff(storeA);
      const s = await staffLogin(storeA, staff.email, staff.password);
      const out = await post(`/t/${storeA.slug}/api/auth/logout`, {}, bearer(s.accessToken));
      expect(out.statusCode).toBe(204);
      expect((await get(`/t/${storeA.slug}/api/auth/me`, s.accessToken)).statusCode).toBe(401);
      expect((await refresh(storeA, s.refreshToken)).statusCode).toBe(401);
      const { rows } = await f.query(
        `SELECT action FROM audit_events WHERE tenant_id = $1 AND actor_id = $2 AND action = 'auth.sign_out'`,
        [storeA.id, staff.id],
      );
      expect(rows).toHaveLength(1);
    });

    it('lists only my own live sessions with the current one flagged; others’ ids → 404', async () => {
      const me = await f.newStaff(storeA, { role: 'tenant_owner' });
      const other = await f.newStaff(storeA, { role: 'store_staff' });
      const phone1 = await staffLogin(storeA, me.email, me.password, 'iPhone Safari');
      const laptop = await staffLogin(storeA, me.email, me.password, 'Mac Chrome');
      const theirs = await staffLogin(storeA, other.email, other.password);
      const customer = await customerLogin(storeA);

      const list = await get(`/t/${storeA.slug}/api/auth/sessions`, laptop.accessToken);
      expect(list.statusCode).toBe(200);
      const sessions = list.json() as Array<{ id: string; current: boolean; userAgent: string; ip: string }>;
      expect(sessions).toHaveLength(2);
      expect(sessions.find((s) => s.current)?.userAgent).toBe('Mac Chrome');
      expect(sessions.find((s) => !s.current)?.userAgent).toBe('iPhone Safari');
      expect(sessions.every((s) => s.ip && 'createdAt' in s && 'lastUsedAt' in s)).toBe(true);

      // Another user's session (even the owner's "manage all" does not reach it) → 404.
      const theirSessions = (await get(`/t/${storeA.slug}/api/auth/sessions`, theirs.accessToken)).json();
      expect(theirSessions).toHaveLength(1);
      const del = await t.app.inject({
        method: 'DELETE',
        url: `/t/${storeA.slug}/api/auth/sessions/${theirSessions[0].id}`,
        headers: bearer(laptop.accessToken),
      });
      expect(del.statusCode).toBe(404);
      expect((await get(`/t/${storeA.slug}/api/auth/me`, theirs.accessToken)).statusCode).toBe(200);
      const custSessions = (await get(`/t/${storeA.slug}/api/auth/sessions`, customer.accessToken)).json();
      expect(custSessions).toHaveLength(1);
      expect(custSessions[0].id).not.toBe(theirSessions[0].id);

      // My other device: signed out at once.
      const phoneSession = sessions.find((s) => !s.current)!;
      const mine = await t.app.inject({
        method: 'DELETE',
        url: `/t/${storeA.slug}/api/auth/sessions/${phoneSession.id}`,
        headers: bearer(laptop.accessToken),
      });
      expect(mine.statusCode).toBe(204);
      expect((await get(`/t/${storeA.slug}/api/auth/me`, phone1.accessToken)).statusCode).toBe(401);
      expect((await get(`/t/${storeA.slug}/api/auth/me`, laptop.accessToken)).statusCode).toBe(200);

      const bad = await t.app.inject({
        method: 'DELETE',
        url: `/t/${storeA.slug}/api/auth/sessions/not-a-uuid`,
        headers: bearer(laptop.accessToken),
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().fields.map((x: { field: string }) => x.field)).toEqual(['id']);
    });

    it("store B's session id with store A's token → 404; A's token at B's path → 403", async () => {
      const staffB = await f.newStaff(storeB);
      const b = await staffLogin(storeB, staffB.email, staffB.password);
      const bSession = (await get(`/t/${storeB.slug}/api/auth/sessions`, b.accessToken)).json()[0].id;
      const staffA = await f.newStaff(storeA);
      const a = await staffLogin(storeA, staffA.email, staffA.password);
      const del = await t.app.inject({
        method: 'DELETE',
        url: `/t/${storeA.slug}/api/auth/sessions/${bSession}`,
        headers: bearer(a.accessToken),
      });
      expect(del.statusCode).toBe(404);
      expect((await get(`/t/${storeB.slug}/api/auth/sessions`, a.accessToken)).statusCode).toBe(403);
      expect((await get(`/t/${storeB.slug}/api/auth/me`, a.accessToken)).statusCode).toBe(403);
      // Host-based address too.
      const viaHost = await t.app.inject({
        method: 'GET',
        url: '/api/auth/me',
        headers: { ...bearer(a.accessToken), host: `${storeB.slug}.massage.test` },
      });
      expect(viaHost.statusCode).toBe(403);
    });

    it('session routes need a sign-in', async () => {
      expect((await t.app.inject({ method: 'GET', url: `/t/${storeA.slug}/api/auth/sessions` })).statusCode).toBe(401);
      expect((await post(`/t/${storeA.slug}/api/auth/logout`, {})).statusCode).toBe(401);
    });
  });

  describe('token verification', () => {
    const claims = (tenantId: string) => ({ kind: 'staff', role: 'tenant_owner', tid: tenantId, sid: randomUUID() });

    it('an expired token → 401', async () => {
      const key = new TextEncoder().encode(t.config.JWT_SECRET);
      const now = Math.floor(Date.now() / 1000);
      const expired = await new SignJWT(claims(storeA.id))
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(randomUUID())
        .setIssuer('massage-saas')
        .setIssuedAt(now - 3600)
        .setExpirationTime(now - 60)
        .sign(key);
      const res = await get(`/t/${storeA.slug}/api/auth/me`, expired);
      expect(res.statusCode).toBe(401);
    });

    it('a token signed with another key, or with alg none, → 401', async () => {
      const forged = await new SignJWT(claims(storeA.id))
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(randomUUID())
        .setIssuer('massage-saas')
        .setExpirationTime('10m')
        .sign(new TextEncoder().encode('x'.repeat(64)));
      expect((await get(`/t/${storeA.slug}/api/auth/me`, forged)).statusCode).toBe(401);

      const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const now = Math.floor(Date.now() / 1000);
      const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims(storeA.id), sub: randomUUID(), iss: 'massage-saas', exp: now + 600 })}.`;
      expect((await get(`/t/${storeA.slug}/api/auth/me`, none)).statusCode).toBe(401);

      // Tampered claims on a genuine token.
      const staff = await f.newStaff(storeA, { role: 'store_staff' });
      const real = await staffLogin(storeA, staff.email, staff.password);
      const [h, p, s] = real.accessToken.split('.');
      const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
      const tampered = `${h}.${b64({ ...payload, role: 'tenant_owner' })}.${s}`;
      expect((await get(`/t/${storeA.slug}/api/auth/me`, tampered)).statusCode).toBe(401);
    });
  });

  describe('platform operators', () => {
    it('sign in, refresh, me, sessions, logout; wrong password 401; audited on the platform trail', async () => {
      const op = await f.newOperator();
      const res = await post('/api/platform/auth/login', { email: op.email, password: op.password });
      expect(res.statusCode).toBe(200);
      const tokens: Tokens = res.json();
      expect(tokens.principal).toMatchObject({ kind: 'operator', role: 'platform_operator', id: op.id });
      expect(tokens.refreshToken.startsWith('op.')).toBe(true);

      const me = await get('/api/platform/auth/me', tokens.accessToken);
      expect(me.json()).toMatchObject({ id: op.id, email: op.email });
      const rotated = await post('/api/platform/auth/refresh', { refreshToken: tokens.refreshToken });
      expect(rotated.statusCode).toBe(200);
      const next: Tokens = rotated.json();
      const sessions = (await get('/api/platform/auth/sessions', next.accessToken)).json();
      expect(sessions).toHaveLength(1);
      expect(sessions[0].current).toBe(true);

      // Reuse ends the operator session too.
      expect((await post('/api/platform/auth/refresh', { refreshToken: tokens.refreshToken })).statusCode).toBe(401);
      expect((await get('/api/platform/auth/me', next.accessToken)).statusCode).toBe(401);

      const again: Tokens = (await post('/api/platform/auth/login', { email: op.email, password: op.password })).json();
      const out = await post('/api/platform/auth/logout', {}, bearer(again.accessToken));
      expect(out.statusCode).toBe(204);
      expect((await get('/api/platform/auth/me', again.accessToken)).statusCode).toBe(401);

      const wrong = await post('/api/platform/auth/login', { email: op.email, password: 'wrong' });
      expect(wrong.statusCode).toBe(401);
      expect(wrong.json().code).toBe('INVALID_CREDENTIALS');
      const disabled = await f.newOperator({ disabled: true });
      expect(
        (await post('/api/platform/auth/login', { email: disabled.email, password: disabled.password })).statusCode,
      ).toBe(401);

      const { rows } = await f.query<{ action: string }>(
        `SELECT action FROM platform_audit_events WHERE actor_id = $1 OR target_id = $1`,
        [op.id],
      );
      expect(rows.map((r) => r.action)).toEqual(
        expect.arrayContaining([
          'auth.operator_sign_in',
          'auth.refresh_token_reused',
          'auth.sign_out',
          'auth.operator_sign_in_failed',
        ]),
      );
    });

    it("an operator's token at a store route → 403; a store token at a platform route → 403; store refresh tokens are not operator ones", async () => {
      const op = await f.newOperator();
      const tokens: Tokens = (
        await post('/api/platform/auth/login', { email: op.email, password: op.password })
      ).json();
      expect((await get(`/t/${storeA.slug}/api/auth/sessions`, tokens.accessToken)).statusCode).toBe(403);
      expect((await get(`/t/${storeA.slug}/api/auth/me`, tokens.accessToken)).statusCode).toBe(403);

      const staff = await f.newStaff(storeA);
      const s = await staffLogin(storeA, staff.email, staff.password);
      expect((await get('/api/platform/auth/sessions', s.accessToken)).statusCode).toBe(403);
      expect((await post('/api/platform/auth/refresh', { refreshToken: s.refreshToken })).statusCode).toBe(401);
      expect((await refresh(storeA, tokens.refreshToken)).statusCode).toBe(401);
    });
  });

  it('documents every auth route in OpenAPI', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/docs-json' })).json();
    for (const path of [
      '/api/auth/sms/send',
      '/api/auth/customer/login',
      '/api/auth/technician/login',
      '/api/auth/staff/login',
      '/api/auth/refresh',
      '/api/auth/logout',
      '/api/auth/sessions',
      '/api/auth/sessions/{id}',
      '/api/auth/me',
      '/api/platform/auth/login',
      '/api/platform/auth/refresh',
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
  });
});
