import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { createTestApp, type TestApp } from './support/test-app';
import { Factory, type TestTenant } from './support/factories';

const INTERVAL_MS = 1500;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Duty status and position reports. Chosen behaviour for pings faster than the interval:
 * accepted (200) with `stored: false` and `retryAfterMs`, not stored — never a DB write.
 */
describe('technician duty status and location', () => {
  let db: TestDatabase;
  let t: TestApp;
  let f: Factory;
  let A: TestTenant;
  let B: TestTenant;

  const call = (method: 'GET' | 'POST', url: string, token?: string, payload?: object) =>
    t.app.inject({
      method,
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(payload ? { payload } : {}),
    });
  const inA = (path: string) => `/t/${A.slug}/api${path}`;
  const position = async (id: string) =>
    (
      await f.query<{ last_lat: number | null; last_lng: number | null; located_at: Date | null }>(
        `SELECT last_lat, last_lng, located_at FROM technicians WHERE id = $1`,
        [id],
      )
    ).rows[0]!;
  const technician = async (status: string) => {
    const tech = await f.newTechnician(A, { status, name: '赵六' });
    return { ...tech, token: await f.token({ id: tech.id, role: 'technician', tenantId: A.id }) };
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await createTestApp(db, { TECHNICIAN_LOCATION_INTERVAL_MS: String(INTERVAL_MS) });
    f = await Factory.create(db, t.app);
    A = await f.newTenant();
    B = await f.newTenant();
  });
  afterAll(async () => {
    await f?.close();
    await t?.close();
    await db?.drop();
  });

  it('only an approved technician goes online; offline always works', async () => {
    for (const status of ['applicant', 'pending_review', 'rejected', 'disabled']) {
      const tech = await technician(status);
      const res = await call('POST', inA('/technician/online'), tech.token);
      expect(res.statusCode, status).toBe(409);
      expect(res.json().code).toBe('TECHNICIAN_NOT_APPROVED');
    }
    const tech = await technician('approved');
    const on = await call('POST', inA('/technician/online'), tech.token);
    expect(on.statusCode).toBe(200);
    expect(on.json()).toMatchObject({ online: true });
    const since = on.json().onlineSince as string;
    // going online again keeps the original onlineSince
    expect((await call('POST', inA('/technician/online'), tech.token)).json().onlineSince).toBe(since);
    const off = await call('POST', inA('/technician/offline'), tech.token);
    expect(off.json()).toMatchObject({ online: false, onlineSince: null });
  });

  it('keeps positions only while on duty', async () => {
    const tech = await technician('approved');
    const res = await call('POST', inA('/technician/location'), tech.token, { lat: 31.2, lng: 121.4 });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('TECHNICIAN_NOT_ONLINE');
    expect((await position(tech.id)).located_at).toBeNull();
    // the refused ping did not use up the interval
    await call('POST', inA('/technician/online'), tech.token);
    const ok = await call('POST', inA('/technician/location'), tech.token, { lat: 31.2, lng: 121.4 });
    expect(ok.json()).toEqual({ stored: true, retryAfterMs: 0 });
  });

  it('stores at most one position per interval; extra pings are accepted and dropped; the last one is kept', async () => {
    const tech = await technician('approved');
    await call('POST', inA('/technician/online'), tech.token);
    const first = await call('POST', inA('/technician/location'), tech.token, { lat: 31.1, lng: 121.1 });
    expect(first.json()).toEqual({ stored: true, retryAfterMs: 0 });
    const second = await call('POST', inA('/technician/location'), tech.token, { lat: 31.9, lng: 121.9 });
    expect(second.statusCode).toBe(200);
    expect(second.json().stored).toBe(false);
    expect(second.json().retryAfterMs).toBeGreaterThan(0);
    expect(second.json().retryAfterMs).toBeLessThanOrEqual(INTERVAL_MS);
    expect(await position(tech.id)).toMatchObject({ last_lat: 31.1, last_lng: 121.1 });

    await sleep(INTERVAL_MS + 100);
    // 20 parallel pings after the interval: exactly one is stored
    const burst = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call('POST', inA('/technician/location'), tech.token, { lat: 30 + i / 100, lng: 120 }),
      ),
    );
    expect(burst.map((r) => r.statusCode).every((s) => s === 200)).toBe(true);
    const stored = burst.filter((r) => r.json().stored === true);
    expect(stored).toHaveLength(1);
    const winner = burst.indexOf(stored[0]!);
    const pos = await position(tech.id);
    expect(pos.last_lat).toBeCloseTo(30 + winner / 100, 6);

    // going offline keeps the last known position, and stops further reports
    await call('POST', inA('/technician/offline'), tech.token);
    await sleep(INTERVAL_MS + 100);
    expect((await call('POST', inA('/technician/location'), tech.token, { lat: 1, lng: 1 })).statusCode).toBe(409);
    expect((await position(tech.id)).last_lat).toBeCloseTo(30 + winner / 100, 6);
  });

  it('limits each technician separately', async () => {
    const [a, b] = [await technician('approved'), await technician('approved')];
    for (const x of [a, b]) await call('POST', inA('/technician/online'), x.token);
    expect((await call('POST', inA('/technician/location'), a.token, { lat: 1, lng: 1 })).json().stored).toBe(true);
    expect((await call('POST', inA('/technician/location'), b.token, { lat: 2, lng: 2 })).json().stored).toBe(true);
  });

  it('validates coordinates and names the field', async () => {
    const tech = await technician('approved');
    const res = await call('POST', inA('/technician/location'), tech.token, { lat: 91, lng: 'east' });
    expect(res.statusCode).toBe(400);
    expect(
      res
        .json()
        .fields.map((x: { field: string }) => x.field)
        .sort(),
    ).toEqual(['lat', 'lng']);
  });

  it('is for technicians only, of their own store', async () => {
    const owner = await f.newStaff(A, { role: 'tenant_owner' });
    const ownerToken = await f.token({ id: owner.id, role: 'tenant_owner', tenantId: A.id });
    expect((await call('POST', inA('/technician/location'), ownerToken, { lat: 1, lng: 1 })).statusCode).toBe(403);
    expect((await call('POST', inA('/technician/online'), ownerToken)).statusCode).toBe(403);
    const customerToken = await f.token({ id: owner.id, role: 'customer', tenantId: A.id });
    expect((await call('POST', inA('/technician/location'), customerToken, { lat: 1, lng: 1 })).statusCode).toBe(403);
    expect((await call('POST', inA('/technician/location'), undefined, { lat: 1, lng: 1 })).statusCode).toBe(401);
    const tech = await technician('approved');
    expect(
      (await call('POST', `/t/${B.slug}/api/technician/location`, tech.token, { lat: 1, lng: 1 })).statusCode,
    ).toBe(403);
  });
});
