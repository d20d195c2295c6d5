import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Factory, type TestTenant } from './support/factories';
import { dispatchingOrder, grabStore, onDutyTechnicians, slotStart, type GrabStore } from './support/grab-fixtures';
import { CENTRE } from './support/order-fixtures';
import { openSse } from './support/sse-client';
import { createTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';

const baseOf = (t: TestApp) => {
  const address = t.app.getHttpServer().address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
};

describe('grab hall (抢单)', () => {
  let db: TestDatabase;
  let one: TestApp; // two API processes sharing Redis: claims and SSE cross between them
  let two: TestApp;
  let f: Factory;
  let a: GrabStore;
  let b: TestTenant;
  let ownerA: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    one = await createTestApp(db, { RUN_WORKERS: 'false', DB_POOL_MAX: '10' });
    two = await createTestApp(db, {
      RUN_WORKERS: 'false',
      DB_POOL_MAX: '10',
      REDIS_PREFIX: one.config.REDIS_PREFIX,
      JWT_SECRET: one.config.JWT_SECRET,
      DATA_ENCRYPTION_KEY: one.config.DATA_ENCRYPTION_KEY,
      LOOKUP_HASH_KEY: one.config.LOOKUP_HASH_KEY,
    });
    await one.app.listen({ port: 0, host: '127.0.0.1' });
    await two.app.listen({ port: 0, host: '127.0.0.1' });
    f = await Factory.create(db, one.app);
    a = await grabStore(f, one.app, await f.newTenant());
    b = await f.newTenant();
    const owner = await f.newStaff(a.tenant, { role: 'tenant_owner' });
    ownerA = await f.token({ id: owner.id, role: 'tenant_owner', tenantId: a.tenant.id });
  }, 60_000);
  afterAll(async () => {
    await f?.close();
    await two?.close();
    await one?.close();
    await db?.drop();
  });

  const open = (orderId: string, token = ownerA, slug = a.tenant.slug) =>
    one.app.inject({
      method: 'POST',
      url: `/t/${slug}/api/grab/orders/${orderId}/open`,
      headers: { authorization: `Bearer ${token}` },
    });
  const claim = (orderId: string, token: string, slug = a.tenant.slug) =>
    one.app.inject({
      method: 'POST',
      url: `/t/${slug}/api/grab/orders/${orderId}/claim`,
      headers: { authorization: `Bearer ${token}` },
    });

  it('storm: 200 technicians × 50 orders over HTTP on two processes → 50 winners, no double booking, losers 409, watchers told', async () => {
    const techs = await onDutyTechnicians(f, a.tenant, 200);
    const [watcher] = await onDutyTechnicians(f, a.tenant, 1);
    // 25 time slots, two orders in each: a technician claiming both of a slot can win only one.
    const orders: string[] = [];
    for (let i = 0; i < 50; i++)
      orders.push(await dispatchingOrder(f, one.app, a, { startAt: slotStart(Math.floor(i / 2)) }));
    const sse = await openSse(`${baseOf(two)}/t/${a.tenant.slug}/api/events`, watcher!.token);
    await new Promise((r) => setTimeout(r, 100));
    for (const id of orders) {
      const res = await open(id);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().pushedTo).toBe(201);
    }
    const offer = await sse.next('grab.offer');
    expect(Object.keys(offer.data as object).sort()).toEqual(
      [
        'area',
        'at',
        'distanceKm',
        'durationMinutes',
        'earningFen',
        'orderId',
        'priceFen',
        'serviceName',
        'startAt',
      ].sort(),
    );
    expect(JSON.stringify(offer.data)).not.toMatch(/138\d{8}|138\*{4}|人民大道|8栋/);

    const bases = [baseOf(one), baseOf(two)];
    const attempts = techs.flatMap((t, i) =>
      [i % 50, (i + 1) % 50, (i + 25) % 50].map((k, j) => ({
        tech: t,
        orderId: orders[k]!,
        base: bases[(i + j) % 2]!,
      })),
    );
    const results = await Promise.all(
      attempts.map(async (x) => {
        const res = await fetch(`${x.base}/t/${a.tenant.slug}/api/grab/orders/${x.orderId}/claim`, {
          method: 'POST',
          headers: { authorization: `Bearer ${x.tech.token}` },
        });
        const body = (await res.json()) as { code?: string };
        return { ...x, status: res.status, body };
      }),
    );
    const won = results.filter((r) => r.status === 200);
    const lost = results.filter((r) => r.status !== 200);
    expect(won).toHaveLength(50);
    expect(new Set(won.map((r) => r.orderId)).size).toBe(50);
    const odd = lost.filter((r) => !(r.status === 409 && ['ALREADY_TAKEN', 'SLOT_TAKEN'].includes(r.body.code ?? '')));
    expect(odd.map((r) => `${r.status} ${JSON.stringify(r.body)}`).slice(0, 3)).toEqual([]);

    // The database agrees: every order assigned to exactly its winner, busy time never overlapping.
    const rows = await f.query<{ id: string; status: string; technician_id: string; listing: string; winner: string }>(
      `SELECT o.id, o.status, o.technician_id, l.status AS listing, l.technician_id AS winner
         FROM orders o JOIN grab_listings l ON l.tenant_id = o.tenant_id AND l.order_id = o.id
        WHERE o.id = ANY($1::uuid[])`,
      [orders],
    );
    expect(rows.rows).toHaveLength(50);
    for (const r of rows.rows) {
      expect(r.status).toBe('accepted'); // the claim is the acceptance
      expect(r.listing).toBe('taken');
      expect(r.technician_id).toBe(r.winner);
      expect(won.find((w) => w.orderId === r.id)?.tech.id).toBe(r.technician_id);
    }
    const holds = await f.query<{ n: string }>(
      `SELECT count(*) AS n FROM technician_busy WHERE tenant_id = $1 AND active AND reference_id = ANY($2::uuid[])`,
      [a.tenant.id, orders],
    );
    expect(Number(holds.rows[0]!.n)).toBe(50);
    const overlaps = await f.query(
      `SELECT 1 FROM technician_busy x JOIN technician_busy y
          ON x.tenant_id = y.tenant_id AND x.technician_id = y.technician_id AND x.id < y.id AND x.during && y.during
       WHERE x.tenant_id = $1 AND x.active AND y.active`,
      [a.tenant.id],
    );
    expect(overlaps.rowCount).toBe(0);
    const assignEvents = await f.query<{ n: string }>(
      `SELECT count(*) AS n FROM order_events WHERE tenant_id = $1 AND event = 'assign' AND order_id = ANY($2::uuid[])`,
      [a.tenant.id, orders],
    );
    expect(Number(assignEvents.rows[0]!.n)).toBe(50);
    const acceptEvents = await f.query<{ n: string }>(
      `SELECT count(*) AS n FROM order_events
        WHERE tenant_id = $1 AND event = 'accept' AND reason = 'claimed' AND order_id = ANY($2::uuid[])`,
      [a.tenant.id, orders],
    );
    expect(Number(acceptEvents.rows[0]!.n)).toBe(50);

    // The watcher (pushed every order, claimed none) heard each one taken, with no winner named.
    const heard = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const ev = await sse.next('grab.taken', 5_000);
      expect(Object.keys(ev.data as object).sort()).toEqual(['at', 'orderId', 'takenAt']);
      heard.add((ev.data as { orderId: string }).orderId);
    }
    expect(heard).toEqual(new Set(orders));
    sse.close();

    // A late claim is told at once.
    const late = await claim(orders[0]!, techs[100]!.token);
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('ALREADY_TAKEN');
  }, 120_000);

  it('a technician busy at that time loses with SLOT_TAKEN and the order stays open for others', async () => {
    const [busy, free] = await onDutyTechnicians(f, a.tenant, 2);
    const start = slotStart(40);
    const orderId = await dispatchingOrder(f, one.app, a, { startAt: start });
    await f.query(
      `INSERT INTO technician_busy (tenant_id, technician_id, during, kind) VALUES ($1, $2, tstzrange($3, $4), 'block')`,
      [a.tenant.id, busy!.id, new Date(start.getTime() - 30 * 60_000), new Date(start.getTime() + 30 * 60_000)],
    );
    expect((await open(orderId)).json().pushedTo).toBeGreaterThan(0);
    const lost = await claim(orderId, busy!.token);
    expect(lost.statusCode).toBe(409);
    expect(lost.json().code).toBe('SLOT_TAKEN');
    const listing = await f.query(`SELECT status FROM grab_listings WHERE order_id = $1`, [orderId]);
    expect(listing.rows[0]).toEqual({ status: 'open' });
    const won = await claim(orderId, free!.token);
    expect(won.statusCode, won.body).toBe(200);
    expect(won.json()).toMatchObject({ orderId, status: 'accepted', technicianId: free!.id });
    // nothing left to accept: the winner can set off at once
    const depart = await one.app.inject({
      method: 'POST',
      url: `/t/${a.tenant.slug}/api/technician/orders/${orderId}/depart`,
      headers: { authorization: `Bearer ${free!.token}` },
    });
    expect(depart.statusCode, depart.body).toBe(200);
    expect(depart.json().status).toBe('departed');
    const events = await f.query(
      `SELECT event, reason, details FROM order_events WHERE order_id = $1 ORDER BY created_at`,
      [orderId],
    );
    expect(events.rows.map((r) => r.event)).toEqual(['assign', 'accept', 'depart']);
    expect(events.rows[1]).toMatchObject({ reason: 'claimed', details: { via: 'grab' } });
  });

  it('orders near me: only open ones in range, district-level, no customer data', async () => {
    const [me] = await onDutyTechnicians(f, a.tenant, 1);
    const near = await dispatchingOrder(f, one.app, a, { startAt: slotStart(41), at: { lat: 31.2345, lng: 121.4801 } });
    const far = await dispatchingOrder(f, one.app, a, { startAt: slotStart(41), at: { lat: 31.4, lng: 121.4737 } });
    await open(near);
    await open(far);
    const res = await one.app.inject({
      method: 'GET',
      url: `/t/${a.tenant.slug}/api/grab/orders-near-me?lat=${CENTRE.lat}&lng=${CENTRE.lng}&radius=3000`,
      headers: { authorization: `Bearer ${me!.token}` },
    });
    expect(res.statusCode, res.body).toBe(200);
    const list = res.json() as Array<{ orderId: string; area: { lat: number; lng: number }; distanceKm: number }>;
    expect(list.map((o) => o.orderId)).toContain(near);
    expect(list.map((o) => o.orderId)).not.toContain(far);
    const hit = list.find((o) => o.orderId === near)!;
    expect(hit.area).toEqual({ lat: 31.23, lng: 121.48 });
    expect(hit.distanceKm).toBeCloseTo(0.8, 1);
    expect(res.body).not.toMatch(/138\d{8}|138\*{4}|人民大道|8栋|addressLat|lat":31.2345/);
  });

  it('EXPLAIN: "orders near me" uses the geo index', async () => {
    // 4000 open listings spread over ~200 km: a 3 km query is selective.
    await f.query(
      `WITH q AS (
         INSERT INTO quotes (tenant_id, customer_id, service_id, service_name, duration_minutes, total_minutes,
                             address_id, start_at, end_at, distance_m, distance_origin, lines, subtotal_fen,
                             adjustments_fen, total_fen, expires_at)
         SELECT $1, $2, $3, '全身推拿', 60, 60, $4, now() + interval '2 days', now() + interval '2 days 1 hour',
                0, 'none', '[]', 19800, 0, 19800, now() + interval '1 hour'
           FROM generate_series(1, 4000) RETURNING id, start_at, end_at),
       o AS (
         INSERT INTO orders (tenant_id, order_no, customer_id, quote_id, status, payment_method, service_id,
                             service_name, duration_minutes, total_minutes, start_at, end_at, lines, subtotal_fen,
                             adjustments_fen, total_fen, address_enc, address_kind, address_lat, address_lng,
                             contact_phone_masked, idempotency_key, request_hash)
         SELECT $1, 'EX' || md5(q.id::text), $2, q.id, 'dispatching', 'sandbox', $3, '全身推拿', 60, 60, q.start_at,
                q.end_at, '[]', 19800, 0, 19800, '\\x00', 'home', 30.5 + random() * 1.5, 120.7 + random() * 1.5,
                '138****0000', md5(q.id::text), '\\x00'
           FROM q RETURNING id, start_at, end_at, address_lat, address_lng)
       INSERT INTO grab_listings (tenant_id, order_id, service_name, duration_minutes, start_at, end_at, lat, lng,
                                  area_lat, area_lng, price_fen, earning_fen)
       SELECT $1, id, '全身推拿', 60, start_at, end_at, address_lat, address_lng, round(address_lat::numeric, 2),
              round(address_lng::numeric, 2), 19800, 9900 FROM o`,
      [a.tenant.id, a.customerId, a.serviceId, a.addressId],
    );
    await f.query(`ANALYZE grab_listings`);
    // The function's own query, planned as its definer with this store set (what a call runs).
    const body = await f.query<{ prosrc: string }>(
      `SELECT prosrc FROM pg_proc WHERE proname = 'grab_listings_near' AND pronamespace = 'platform'::regnamespace`,
    );
    const client = new pg.Client({ connectionString: db.adminUrl });
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL ROLE massage_platform');
      await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [a.tenant.id]);
      await client.query(`PREPARE near_q(float8, float8, float8, int) AS ${body.rows[0]!.prosrc}`);
      const plan = await client.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN EXECUTE near_q(${CENTRE.lat}, ${CENTRE.lng}, 3000, 50)`,
      );
      const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(text).toContain('grab_listings_geo_idx');
      expect(text).toMatch(/Index Cond: .*cube/);
      expect(text).not.toMatch(/Seq Scan on grab_listings/);
      await client.query('ROLLBACK');
    } finally {
      await client.end();
    }
    // …and the endpoint answers from it: the listings within 3 km, not the 4000.
    const [me] = await onDutyTechnicians(f, a.tenant, 1);
    const res = await one.app.inject({
      method: 'GET',
      url: `/t/${a.tenant.slug}/api/grab/orders-near-me?lat=${CENTRE.lat}&lng=${CENTRE.lng}&radius=3000`,
      headers: { authorization: `Bearer ${me!.token}` },
    });
    expect(res.statusCode).toBe(200);
    expect((res.json() as unknown[]).length).toBeLessThan(50);
  });

  it('roles: customers and staff cannot grab, technicians cannot open, an off-duty technician is refused', async () => {
    const orderId = await dispatchingOrder(f, one.app, a, { startAt: slotStart(42) });
    const customer = await f.token({ id: a.customerId, role: 'customer', tenantId: a.tenant.id });
    const staff = await f.newStaff(a.tenant, { role: 'store_staff' });
    const staffToken = await f.token({ id: staff.id, role: 'store_staff', tenantId: a.tenant.id });
    const [tech] = await onDutyTechnicians(f, a.tenant, 1);
    expect((await open(orderId, customer)).statusCode).toBe(403);
    expect((await open(orderId, staffToken)).statusCode).toBe(403);
    expect((await open(orderId, tech!.token)).statusCode).toBe(403);
    const manager = await f.newStaff(a.tenant, { role: 'store_manager' });
    expect(
      (await open(orderId, await f.token({ id: manager.id, role: 'store_manager', tenantId: a.tenant.id }))).statusCode,
    ).toBe(200);
    expect((await claim(orderId, customer)).statusCode).toBe(403);
    expect((await claim(orderId, staffToken)).statusCode).toBe(403);
    expect((await claim(orderId, ownerA)).statusCode).toBe(403);
    await f.query(`UPDATE technicians SET online = false WHERE id = $1`, [tech!.id]);
    const offDuty = await claim(orderId, tech!.token);
    expect(offDuty.statusCode).toBe(403);
    expect(offDuty.json().code).toBe('NOT_ON_DUTY');
    const anon = await one.app.inject({ method: 'POST', url: `/t/${a.tenant.slug}/api/grab/orders/${orderId}/claim` });
    expect(anon.statusCode).toBe(401);
  });

  it('a technician cannot claim an order that is not in the grab hall', async () => {
    const [tech] = await onDutyTechnicians(f, a.tenant, 1);
    const notListed = await dispatchingOrder(f, one.app, a, { startAt: slotStart(43) });
    const res = await claim(notListed, tech!.token);
    expect(res.statusCode).toBe(404);
    expect((await f.query(`SELECT status FROM orders WHERE id = $1`, [notListed])).rows[0]).toEqual({
      status: 'dispatching',
    });
    // closed by staff → gone from the hall
    await open(notListed);
    const del = await one.app.inject({
      method: 'DELETE',
      url: `/t/${a.tenant.slug}/api/grab/orders/${notListed}`,
      headers: { authorization: `Bearer ${ownerA}` },
    });
    expect(del.statusCode).toBe(200);
    expect((await claim(notListed, tech!.token)).statusCode).toBe(409);
  });

  it('a cancelled order leaves the hall: technicians are told, it is no longer listed or claimable', async () => {
    const [tech] = await onDutyTechnicians(f, a.tenant, 1);
    const orderId = await dispatchingOrder(f, one.app, a, { startAt: slotStart(45) });
    const sse = await openSse(`${baseOf(one)}/t/${a.tenant.slug}/api/events`, tech!.token);
    await new Promise((r) => setTimeout(r, 100));
    expect((await open(orderId)).statusCode).toBe(200);
    expect(((await sse.next('grab.offer')).data as { orderId: string }).orderId).toBe(orderId);
    const cancel = await one.app.inject({
      method: 'POST',
      url: `/t/${a.tenant.slug}/api/orders/${orderId}/cancel`,
      headers: { authorization: `Bearer ${ownerA}` },
      payload: { reason: '顾客取消' },
    });
    expect(cancel.statusCode, cancel.body).toBe(200);
    expect(((await sse.next('grab.taken')).data as { orderId: string }).orderId).toBe(orderId);
    sse.close();
    const listing = await f.query(`SELECT status FROM grab_listings WHERE order_id = $1`, [orderId]);
    expect(listing.rows[0]).toEqual({ status: 'closed' });
    const late = await claim(orderId, tech!.token);
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('ALREADY_TAKEN');
  });

  it('cross-store: another store’s technician gets 404 for our order at their path, 403 at ours', async () => {
    const orderId = await dispatchingOrder(f, one.app, a, { startAt: slotStart(44) });
    await open(orderId);
    const [other] = await onDutyTechnicians(f, b, 1);
    const atTheirs = await claim(orderId, other!.token, b.slug);
    expect(atTheirs.statusCode).toBe(404);
    expect(atTheirs.json().code).toBe('ORDER_NOT_FOUND');
    expect((await claim(orderId, other!.token)).statusCode).toBe(403);
    const near = await one.app.inject({
      method: 'GET',
      url: `/t/${b.slug}/api/grab/orders-near-me?lat=${CENTRE.lat}&lng=${CENTRE.lng}`,
      headers: { authorization: `Bearer ${other!.token}` },
    });
    expect(near.statusCode).toBe(200);
    expect(near.json()).toEqual([]);
    expect((await open(orderId, ownerA, b.slug)).statusCode).toBe(403);
  });

  it('validates input, naming the field', async () => {
    const [tech] = await onDutyTechnicians(f, a.tenant, 1);
    const res = await one.app.inject({
      method: 'GET',
      url: `/t/${a.tenant.slug}/api/grab/orders-near-me?lat=91&lng=abc&radius=10`,
      headers: { authorization: `Bearer ${tech!.token}` },
    });
    expect(res.statusCode).toBe(400);
    const fields = (res.json().fields as Array<{ field: string }>).map((x) => x.field).sort();
    expect(fields).toEqual(['lat', 'lng', 'radius']);
    const bad = await claim('not-a-uuid', tech!.token);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields[0].field).toBe('id');
  });
});
