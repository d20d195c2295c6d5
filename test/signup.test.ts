import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Factory } from './support/factories';
import { SmtpCapture } from './support/smtp-capture';
import { createTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { waitForJobsToFinish } from './support/wait-for-jobs';

const LINK = /http:\/\/massage\.test(\/api\/signup\/verify\?token=([A-Za-z0-9_-]+))/;

describe('franchise sign-up', () => {
  let db: TestDatabase;
  let t: TestApp;
  let f: Factory;
  const smtp = new SmtpCapture();
  let operatorToken: string;
  let ipSeq = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    const smtpUrl = await smtp.start();
    t = await createTestApp(db, { SMTP_URL: smtpUrl, QUEUE_BACKOFF_MS: '100' });
    f = await Factory.create(db, t.app);
    const { rows } = await f.query<{ id: string }>(
      `INSERT INTO platform_operators (email, password_hash, name) VALUES ($1, 'x', '运营') RETURNING id`,
      [`ops-${randomUUID().slice(0, 8)}@platform.test`],
    );
    operatorToken = await f.token({ id: rows[0]!.id, role: 'platform_operator', tenantId: null });
  });
  afterAll(async () => {
    await t?.close();
    await smtp.stop();
    await f?.close();
    await db?.drop();
  });

  const body = (over: Record<string, unknown> = {}) => {
    const tag = randomUUID().slice(0, 8);
    return {
      email: `owner-${tag}@example.com`,
      password: 'long-enough-pass',
      ownerName: '王芳',
      storeName: `静安推拿${tag}`,
      slug: `jingan-${tag}`,
      city: '上海',
      phone: '13812341234',
      ...over,
    };
  };
  // Each call from its own address, so the per-IP limit only bites where a test wants it.
  const signup = (payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/api/signup', payload, remoteAddress: `10.0.${++ipSeq >> 8}.${ipSeq & 255}` });
  const verify = (path: string, method: 'GET' | 'POST' = 'GET') => t.app.inject({ method, url: path });
  const platform = (method: 'GET' | 'POST', url: string, payload?: object, token = operatorToken) =>
    t.app.inject({ method, url, payload, headers: { authorization: `Bearer ${token}` } });

  async function signUpAndGetLink(over: Record<string, unknown> = {}) {
    const b = body(over);
    const res = await signup(b);
    expect(res.statusCode, res.body).toBe(202);
    const mail = await smtp.waitFor(b.email, (m) => LINK.test(m.text));
    const [, path, token] = LINK.exec(mail.text)!;
    return { b, mail, path: path!, token: token! };
  }

  it('sends a verification e-mail whose link creates a pending store with its owner; approval is e-mailed', async () => {
    const { b, mail, path, token } = await signUpAndGetLink();
    expect(mail.subject).toContain(b.storeName);
    expect(mail.subject).toContain('验证');
    expect(mail.html).toContain('/api/signup/verify?token=');

    // Only a hash of the token and an argon2id hash of the password are stored; the phone is sealed.
    const { rows: apps } = await f.query(`SELECT * FROM tenant_applications WHERE email = $1`, [b.email]);
    expect(apps).toHaveLength(1);
    expect(Buffer.from(apps[0]!.token_hash).equals(createHash('sha256').update(token).digest())).toBe(true);
    expect(apps[0]!.password_hash).toMatch(/^\$argon2id\$/);
    expect(Buffer.from(apps[0]!.phone_enc).includes(Buffer.from('13812341234'))).toBe(false);

    const res = await verify(path);
    expect(res.statusCode, res.body).toBe(200);
    const store = res.json();
    expect(store).toEqual({ tenantId: expect.any(String), slug: b.slug, status: 'pending', ownerEmail: b.email });

    const { rows: tenants } = await f.query(`SELECT * FROM tenants WHERE slug = $1`, [b.slug]);
    expect(tenants).toMatchObject([{ id: store.tenantId, status: 'pending', name: b.storeName, city: '上海' }]);
    const { rows: owners } = await f.query(`SELECT * FROM staff_accounts WHERE tenant_id = $1`, [store.tenantId]);
    expect(owners).toMatchObject([{ email: b.email, role: 'tenant_owner', name: '王芳' }]);
    expect(owners[0]!.password_hash).toBe(apps[0]!.password_hash);
    const { rows: audit } = await f.query(`SELECT action FROM audit_events WHERE tenant_id = $1`, [store.tenantId]);
    expect(audit.map((r) => r.action)).toEqual(['tenant.signup_verified']);

    // Idempotent: the same link again (GET or POST) answers with the same store.
    expect((await verify(path)).json()).toEqual(store);
    expect((await verify(path, 'POST')).json()).toEqual(store);
    expect((await f.query(`SELECT count(*)::int AS n FROM tenants WHERE slug = $1`, [b.slug])).rows[0]!.n).toBe(1);

    const approved = await platform('POST', `/api/platform/tenants/${store.tenantId}/approve`);
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ id: store.tenantId, status: 'active' });
    const welcome = await smtp.waitFor(b.email, (m) => m.subject.includes('已通过审核'));
    expect(welcome.text).toContain(`http://massage.test/t/${b.slug}/`);
  });

  it('e-mails a rejection with its reason, in the language chosen at sign-up', async () => {
    const { b, path } = await signUpAndGetLink({ locale: 'en' });
    const store = (await verify(path)).json();
    const res = await platform('POST', `/api/platform/tenants/${store.tenantId}/reject`, {
      reason: 'Business licence is missing',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().status).toBe('rejected');
    const mail = await smtp.waitFor(b.email, (m) => m.subject.includes('not approved'));
    expect(mail.text).toContain('Reason: Business licence is missing');
    expect(mail.html).toContain('Business licence is missing');
  });

  it('verifies once under concurrent clicks', async () => {
    const { b, path } = await signUpAndGetLink();
    const results = await Promise.all(Array.from({ length: 6 }, () => verify(path)));
    expect(results.map((r) => r.statusCode)).toEqual(Array(6).fill(200));
    expect(new Set(results.map((r) => r.json().tenantId)).size).toBe(1);
    const { rows } = await f.query(
      `SELECT count(*)::int AS n FROM staff_accounts s JOIN tenants t ON t.id = s.tenant_id
      WHERE t.slug = $1`,
      [b.slug],
    );
    expect(rows[0]!.n).toBe(1);
  });

  it('names the slug field for bad and reserved slugs', async () => {
    for (const slug of [
      'ab',
      'Upper',
      '1abc',
      'abc-',
      'a_b',
      'x'.repeat(31),
      '上海店',
      'www',
      'admin',
      'api',
      'signup',
    ]) {
      const res = await signup(body({ slug }));
      expect(res.statusCode, slug).toBe(400);
      expect(res.json().fields.map((x: { field: string }) => x.field)).toEqual(['slug']);
    }
  });

  it('validates the other fields by name', async () => {
    const res = await signup(body({ email: 'nope', password: 'short', phone: '12345', ownerName: '', locale: 'fr' }));
    expect(res.statusCode).toBe(400);
    const fields = res
      .json()
      .fields.map((x: { field: string }) => x.field)
      .sort();
    expect(fields).toEqual(['email', 'locale', 'ownerName', 'password', 'phone']);
    const missing = await signup({});
    expect(missing.statusCode).toBe(400);
  });

  it('refuses a slug taken by a store or by a pending application (409), but not by an expired one', async () => {
    const existing = await f.newTenant({ slug: `taken-${randomUUID().slice(0, 6)}` });
    const byStore = await signup(body({ slug: existing.slug }));
    expect(byStore.statusCode).toBe(409);
    expect(byStore.json().code).toBe('SLUG_TAKEN');

    const first = body();
    expect((await signup(first)).statusCode).toBe(202);
    const second = await signup(body({ slug: first.slug }));
    expect(second.statusCode).toBe(409);
    expect(second.json().code).toBe('SLUG_TAKEN');

    await f.query(`UPDATE tenant_applications SET expires_at = now() - interval '1 minute' WHERE slug = $1`, [
      first.slug,
    ]);
    expect((await signup(body({ slug: first.slug }))).statusCode).toBe(202);
  });

  it('lets exactly one of concurrent sign-ups take a slug', async () => {
    const slug = `race-${randomUUID().slice(0, 8)}`;
    const results = await Promise.all(Array.from({ length: 6 }, () => signup(body({ slug }))));
    expect(results.map((r) => r.statusCode).sort()).toEqual([202, 409, 409, 409, 409, 409]);
  });

  it('answers unknown links 404, expired 410, and a slug taken meanwhile 409', async () => {
    expect((await verify('/api/signup/verify?token=' + 'x'.repeat(43))).statusCode).toBe(404);
    expect((await verify('/api/signup/verify?token=bad!')).statusCode).toBe(400);

    const expired = await signUpAndGetLink();
    await f.query(`UPDATE tenant_applications SET expires_at = now() - interval '1 second' WHERE slug = $1`, [
      expired.b.slug,
    ]);
    const gone = await verify(expired.path);
    expect(gone.statusCode).toBe(410);
    expect(gone.json().code).toBe('TOKEN_EXPIRED');

    const raced = await signUpAndGetLink();
    await f.newTenant({ slug: raced.b.slug });
    const conflict = await verify(raced.path);
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().code).toBe('SLUG_TAKEN');
    const { rows } = await f.query(`SELECT verified_at FROM tenant_applications WHERE slug = $1`, [raced.b.slug]);
    expect(rows[0]!.verified_at).toBeNull();
  });

  it('resends a fresh link (the old one stops working), answers the same for unknown addresses, and rate-limits', async () => {
    const { b, path: oldPath } = await signUpAndGetLink();
    const before = smtp.messages.filter((m) => m.to.includes(b.email)).length;
    const resend = (email: string) =>
      t.app.inject({ method: 'POST', url: '/api/signup/resend', payload: { email }, remoteAddress: '10.9.9.9' });
    const known = await resend(b.email.toUpperCase());
    const unknown = await resend(`nobody-${randomUUID().slice(0, 6)}@example.com`);
    expect(known.statusCode).toBe(202);
    expect(unknown.statusCode).toBe(202);
    expect(unknown.body).toBe(known.body);

    await waitForJobsToFinish(t.app);
    const mails = smtp.messages.filter((m) => m.to.includes(b.email));
    expect(mails).toHaveLength(before + 1);
    const newPath = LINK.exec(mails.at(-1)!.text)![1]!;
    expect(newPath).not.toBe(oldPath);
    expect((await verify(oldPath)).statusCode).toBe(404);
    expect((await verify(newPath)).statusCode).toBe(200);

    const limited = [await resend(b.email), await resend(b.email), await resend(b.email)];
    expect(limited.at(-1)!.statusCode).toBe(429);
    expect(limited.at(-1)!.json().code).toBe('RATE_LIMITED');
  });

  it('gives a store owner no way to activate their own store (no UPDATE grant on tenants.status)', async () => {
    const { path } = await signUpAndGetLink();
    const store = (await verify(path)).json();
    const owner = await f.query<{ id: string }>(`SELECT id FROM staff_accounts WHERE tenant_id = $1`, [store.tenantId]);
    const ownerToken = await f.token({ id: owner.rows[0]!.id, role: 'tenant_owner', tenantId: store.tenantId });
    expect(
      (await platform('POST', `/api/platform/tenants/${store.tenantId}/approve`, undefined, ownerToken)).statusCode,
    ).toBe(403);

    // Straight at the database, as the app role inside the store's own tenant context.
    const app = new pg.Client({ connectionString: db.appUrl });
    await app.connect();
    try {
      await app.query('BEGIN');
      await app.query(`SELECT set_config('app.tenant_id', $1, true)`, [store.tenantId]);
      // Its own branding is writable (so the next refusal is about the column, not the row)…
      const renamed = await app.query(`UPDATE tenants SET display_name = '新名字' WHERE id = $1`, [store.tenantId]);
      expect(renamed.rowCount).toBe(1);
      // …its status is not.
      await expect(
        app.query(`UPDATE tenants SET status = 'active' WHERE id = $1`, [store.tenantId]),
      ).rejects.toMatchObject({
        code: '42501',
      });
      await app.query('ROLLBACK');
      await app.query('BEGIN');
      await app.query(`SELECT set_config('app.tenant_id', $1, true)`, [store.tenantId]);
      await expect(
        app.query(
          `INSERT INTO tenants (id, slug, name, status, city, display_name) VALUES ($1, $2, 'x', 'active', '上海', 'x')`,
          [store.tenantId, `dup-${randomUUID().slice(0, 6)}`],
        ),
      ).rejects.toThrow();
      await app.query('ROLLBACK');
    } finally {
      await app.end();
    }
    const { rows } = await f.query(`SELECT status FROM tenants WHERE id = $1`, [store.tenantId]);
    expect(rows[0]!.status).toBe('pending');
  });
});
