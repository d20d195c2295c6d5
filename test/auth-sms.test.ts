import { Redis } from 'ioredis';
import { LookupHasher } from '../src/platform/crypto/field-cipher';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Factory, type TestTenant } from './support/factories';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { createTestApp, type TestApp } from './support/test-app';
import { captureSms, newIp, newPhone } from './support/auth-client';

describe('SMS code sign-in (customers and technicians)', () => {
  let db: TestDatabase;
  let t: TestApp;
  let f: Factory;
  let redis: Redis;
  let sms: ReturnType<typeof captureSms>;
  let storeA: TestTenant;
  let storeB: TestTenant;

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await createTestApp(db, { SMS_SENDS_PER_IP_PER_HOUR: '5' });
    f = await Factory.create(db, t.app);
    redis = new Redis(t.config.REDIS_URL, { keyPrefix: `${t.config.REDIS_PREFIX}:` });
    sms = captureSms(t.app);
    storeA = await f.newTenant({ name: '静安足道' });
    storeB = await f.newTenant({ name: '徐汇养生' });
  });
  afterAll(async () => {
    redis?.disconnect();
    await f?.close();
    await t?.close();
    await db?.drop();
  });

  const send = (store: TestTenant, body: object, ip = newIp()) =>
    t.app.inject({ method: 'POST', url: `/t/${store.slug}/api/auth/sms/send`, payload: body, remoteAddress: ip });
  const login = (store: TestTenant, who: 'customer' | 'technician', body: object, ip = newIp()) =>
    t.app.inject({ method: 'POST', url: `/t/${store.slug}/api/auth/${who}/login`, payload: body, remoteAddress: ip });

  async function codeFor(store: TestTenant, phone: string, purpose: 'customer' | 'technician' = 'customer') {
    const res = await send(store, { phone, purpose });
    expect(res.statusCode).toBe(200);
    const code = sms.last(phone);
    expect(code).toMatch(/^\d{6}$/);
    return code!;
  }

  it('signs a customer in with the code; the phone is masked in the response and sealed in the database', async () => {
    const phone = newPhone();
    const code = await codeFor(storeA, phone);
    const res = await login(storeA, 'customer', { phone: `+86 ${phone}`, code });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ tokenType: 'Bearer', principal: { kind: 'customer', role: 'customer', isNew: true } });
    expect(body.principal.phoneMasked).toBe(`${phone.slice(0, 3)}****${phone.slice(7)}`);
    expect(res.body).not.toContain(phone);

    const { rows } = await f.query<{ phone_enc: Buffer; phone_hash: Buffer; phone_masked: string }>(
      'SELECT phone_enc, phone_hash, phone_masked FROM customers WHERE tenant_id = $1 AND id = $2',
      [storeA.id, body.principal.id],
    );
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    for (const bytes of [row.phone_enc, row.phone_hash]) {
      expect(bytes.includes(Buffer.from(phone))).toBe(false);
      expect(bytes.toString('latin1')).not.toContain(phone.slice(3));
    }
    expect(row.phone_masked).toBe(body.principal.phoneMasked);

    const me = await t.app.inject({
      method: 'GET',
      url: `/t/${storeA.slug}/api/auth/me`,
      headers: { authorization: `Bearer ${body.accessToken}` },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: body.principal.id, phoneMasked: body.principal.phoneMasked });
    expect(me.body).not.toContain(phone);

    // The sign-in is audited in the store's trail.
    const audit = await f.query('SELECT action, ip FROM audit_events WHERE tenant_id = $1 AND actor_id = $2', [
      storeA.id,
      body.principal.id,
    ]);
    expect(audit.rows.map((r) => r.action)).toContain('auth.sign_in');
  });

  it('the same phone at two stores is two different customers; a second sign-in finds the same one', async () => {
    const phone = newPhone();
    const a1 = await login(storeA, 'customer', { phone, code: await codeFor(storeA, phone) });
    await redis.del(`rl:sms-send-gap:${await gapKeySuffix(phone)}`);
    const b1 = await login(storeB, 'customer', { phone, code: await codeFor(storeB, phone) });
    expect(a1.statusCode).toBe(200);
    expect(b1.statusCode).toBe(200);
    expect(a1.json().principal.id).not.toBe(b1.json().principal.id);
    await redis.del(`rl:sms-send-gap:${await gapKeySuffix(phone)}`);
    const a2 = await login(storeA, 'customer', { phone, code: await codeFor(storeA, phone) });
    expect(a2.json().principal).toMatchObject({ id: a1.json().principal.id, isNew: false });
    const { rows } = await f.query(
      'SELECT tenant_id FROM customers WHERE phone_hash = (SELECT phone_hash FROM customers WHERE id = $1)',
      [a1.json().principal.id],
    );
    expect(rows.map((r) => r.tenant_id).sort()).toEqual([storeA.id, storeB.id].sort());
  });

  it('a code of one store or purpose does not work for another', async () => {
    const phone = newPhone();
    const code = await codeFor(storeA, phone, 'customer');
    expect((await login(storeB, 'customer', { phone, code })).statusCode).toBe(401);
    expect((await login(storeA, 'technician', { phone, code })).statusCode).toBe(401);
    expect((await login(storeA, 'customer', { phone, code })).statusCode).toBe(200);
  });

  it('a code works once', async () => {
    const phone = newPhone();
    const code = await codeFor(storeA, phone);
    expect((await login(storeA, 'customer', { phone, code })).statusCode).toBe(200);
    const again = await login(storeA, 'customer', { phone, code });
    expect(again.statusCode).toBe(401);
    expect(again.json().code).toBe('INVALID_CODE');
  });

  it('guessing: 5 wrong codes kill the code, the 6th try (even the right code) is 429, failures are audited', async () => {
    const phone = newPhone();
    const code = await codeFor(storeA, phone);
    const wrong = code === '000000' ? '111111' : '000000';
    // Real parallel guesses: the try counter is atomic, so exactly 5 are judged.
    const guesses = await Promise.all(
      Array.from({ length: 5 }, () => login(storeA, 'customer', { phone, code: wrong })),
    );
    expect(guesses.map((r) => r.statusCode)).toEqual([401, 401, 401, 401, 401]);
    expect(guesses.map((r) => r.json().attemptsLeft).sort()).toEqual([0, 1, 2, 3, 4]);
    const sixth = await login(storeA, 'customer', { phone, code });
    expect(sixth.statusCode).toBe(429);
    expect(sixth.json().code).toBe('RATE_LIMITED');
    expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(0);
    const { rows } = await f.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE tenant_id = $1 AND action = 'auth.sign_in_failed'
         AND details->>'phoneMasked' = $2`,
      [storeA.id, `${phone.slice(0, 3)}****${phone.slice(7)}`],
    );
    expect(rows[0]!.n).toBe(6);
    const customers = await f.query('SELECT count(*)::int AS n FROM customers WHERE phone_masked = $1', [
      `${phone.slice(0, 3)}****${phone.slice(7)}`,
    ]);
    expect(customers.rows[0]!.n).toBe(0);
  });

  it('an expired code is refused', async () => {
    const phone = newPhone();
    const code = await codeFor(storeA, phone);
    const keys = await scan(`sms-code:${storeA.id}:customer:*`);
    expect(keys.length).toBeGreaterThan(0);
    const ttl = await redis.ttl(keys[0]!);
    expect(ttl).toBeGreaterThan(290);
    expect(ttl).toBeLessThanOrEqual(300);
    // Let the code's five minutes run out (Redis expires it exactly as it would after 300 s).
    for (const k of keys) await redis.pexpire(k, 1);
    await new Promise((r) => setTimeout(r, 20));
    const res = await login(storeA, 'customer', { phone, code });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('INVALID_CODE');
  });

  it('per number: one code per minute → 429 with Retry-After', async () => {
    const phone = newPhone();
    expect((await send(storeA, { phone, purpose: 'customer' })).statusCode).toBe(200);
    const again = await send(storeA, { phone, purpose: 'customer' });
    expect(again.statusCode).toBe(429);
    expect(again.json().code).toBe('RATE_LIMITED');
    const wait = Number(again.headers['retry-after']);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
  });

  it('per number: at most 10 codes a day', async () => {
    const phone = newPhone();
    const gap = `rl:sms-send-gap:${await gapKeySuffix(phone)}`;
    for (let i = 0; i < 10; i++) {
      await redis.del(gap); // skip the one-minute wait between sends
      expect((await send(storeA, { phone, purpose: 'customer' })).statusCode).toBe(200);
    }
    await redis.del(gap);
    const eleventh = await send(storeA, { phone, purpose: 'customer' });
    expect(eleventh.statusCode).toBe(429);
    expect(Number(eleventh.headers['retry-after'])).toBeGreaterThan(3600);
  });

  it('per IP: sends from one address are capped (5/hour in this test)', async () => {
    const ip = newIp();
    const codes = await Promise.all(
      Array.from({ length: 7 }, () => send(storeA, { phone: newPhone(), purpose: 'customer' }, ip)),
    );
    const statuses = codes.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    // Another address is not affected.
    expect((await send(storeA, { phone: newPhone(), purpose: 'customer' })).statusCode).toBe(200);
  });

  it('per IP: verifying is capped too', async () => {
    const local = await createTestApp(db, { SMS_VERIFIES_PER_IP_PER_HOUR: '3' });
    try {
      const ip = newIp();
      const tries = [];
      for (let i = 0; i < 4; i++) {
        tries.push(
          await local.app.inject({
            method: 'POST',
            url: `/t/${storeA.slug}/api/auth/customer/login`,
            payload: { phone: newPhone(), code: '123456' },
            remoteAddress: ip,
          }),
        );
      }
      expect(tries.map((r) => r.statusCode)).toEqual([401, 401, 401, 429]);
      expect(tries[3]!.headers['retry-after']).toBeDefined();
    } finally {
      await local.close();
    }
  });

  it('technician first sign-in registers an applicant; a disabled technician is refused', async () => {
    const phone = newPhone();
    const res = await login(storeA, 'technician', { phone, code: await codeFor(storeA, phone, 'technician') });
    expect(res.statusCode).toBe(200);
    expect(res.json().principal).toMatchObject({ kind: 'technician', status: 'applicant', isNew: true });
    const { rows } = await f.query('SELECT status FROM technicians WHERE tenant_id = $1 AND id = $2', [
      storeA.id,
      res.json().principal.id,
    ]);
    expect(rows[0]!.status).toBe('applicant');

    await f.query(`UPDATE technicians SET status = 'disabled' WHERE id = $1`, [res.json().principal.id]);
    await redis.del(`rl:sms-send-gap:${await gapKeySuffix(phone)}`);
    const again = await login(storeA, 'technician', { phone, code: await codeFor(storeA, phone, 'technician') });
    expect(again.statusCode).toBe(403);
    expect(again.json().code).toBe('ACCOUNT_DISABLED');
  });

  it('closed stores refuse customer and technician sign-in', async () => {
    const pending = await f.newTenant({ status: 'pending' });
    const res = await send(pending, { phone: newPhone(), purpose: 'customer' });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('STORE_CLOSED');
    const login2 = await login(pending, 'technician', { phone: newPhone(), code: '123456' });
    expect(login2.statusCode).toBe(403);
  });

  it('invalid fields → 400 naming them', async () => {
    const bad = await send(storeA, { phone: '12345', purpose: 'boss' });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .fields.map((x: { field: string }) => x.field)
        .sort(),
    ).toEqual(['phone', 'purpose']);
    const badLogin = await login(storeA, 'customer', { phone: '+1 555 0100', code: '12ab' });
    expect(badLogin.statusCode).toBe(400);
    expect(
      badLogin
        .json()
        .fields.map((x: { field: string }) => x.field)
        .sort(),
    ).toEqual(['code', 'phone']);
    const extra = await login(storeA, 'customer', { phone: newPhone(), code: '123456', admin: true });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().fields.map((x: { field: string }) => x.field)).toEqual(['admin']);
  });

  async function scan(pattern: string): Promise<string[]> {
    const prefix = `${t.config.REDIS_PREFIX}:`;
    const raw = await redis.keys(`${prefix}${pattern}`);
    return raw.map((k) => k.slice(prefix.length));
  }

  /** The rate-limit keys carry the phone's lookup hash, never the number. */
  async function gapKeySuffix(phone: string): Promise<string> {
    return new LookupHasher(t.config.LOOKUP_HASH_KEY).hash('phone', phone).toString('hex');
  }
});
