import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TenantContext } from '../src/platform/database/tenant-context';
import { OrdersPaymentPort } from '../src/modules/orders/orders-payment.port';
import { Factory, type TestTenant } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { StatementRecorder } from './support/statement-recorder';
import { topUpWallet } from './support/payment-fixtures';
import { FAR, orderCustomer, orderStore, orderTechnician, tomorrowAt, type OrderStore } from './support/order-fixtures';

describe('quotes and orders', () => {
  let db: TestDatabase;
  let t: TestApp;
  let f: Factory;
  let a: TestTenant;
  let b: TestTenant;
  let storeA: OrderStore;
  let storeB: OrderStore;
  const tok: Record<string, string> = {};
  const token = (name: string): string => tok[name] ?? expect.fail(`no token ${name}`);

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await createTestApp(db, { DB_POOL_MAX: '10', RUN_WORKERS: 'false' });
    f = await Factory.create(db, t.app);
    a = await f.newTenant({ slug: `jade-${randomUUID().slice(0, 6)}` });
    b = await f.newTenant();
    storeA = await orderStore(f, a);
    storeB = await orderStore(f, b);
    for (const [name, tenant, role] of [
      ['ownerA', a, 'tenant_owner'],
      ['managerA', a, 'store_manager'],
      ['staffA', a, 'store_staff'],
      ['ownerB', b, 'tenant_owner'],
    ] as const) {
      const s = await f.newStaff(tenant, { role });
      tok[name] = await f.token({ id: s.id, role, tenantId: tenant.id });
    }
  });
  afterAll(async () => {
    await f?.close();
    await t?.close();
    await db?.drop();
  });

  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    tenant: TestTenant,
    path: string,
    token?: string,
    payload?: object,
    headers: Record<string, string> = {},
  ) =>
    t.app.inject({
      method,
      url: `/t/${tenant.slug}/api/${path}`,
      headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(payload ? { payload } : {}),
    });

  const quoteBody = (store: OrderStore, addressId: string, over: Record<string, unknown> = {}) => ({
    serviceId: store.serviceId,
    durationMinutes: 60,
    addons: [],
    addressId,
    startAt: tomorrowAt(2),
    ...over,
  });

  async function quote(store: OrderStore, c: { token: string; addressId: string }, over: Record<string, unknown> = {}) {
    const res = await call('POST', store.tenant, 'quotes', c.token, quoteBody(store, c.addressId, over));
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string; totalFen: number; lines: Array<{ kind: string; amountFen: number }> }>();
  }

  const book = (tenant: TestTenant, token: string, quoteId: string, key = randomUUID(), extra: object = {}) =>
    call('POST', tenant, 'orders', token, { quoteId, paymentMethod: 'sandbox', ...extra }, { 'idempotency-key': key });

  describe('quotes', () => {
    it('prices on the server with line items, travel from the chosen technician', async () => {
      const c = await orderCustomer(f, t.app, a);
      const techId = await orderTechnician(f, a); // home ~5.6 km north of the address
      const res = await call('POST', a, 'quotes', c.token, {
        ...quoteBody(storeA, c.addressId, { durationMinutes: 90, technicianId: techId }),
        addons: [{ addonId: storeA.addonId, quantity: 2 }],
      });
      expect(res.statusCode, res.body).toBe(201);
      const q = res.json();
      expect(q.distanceOrigin).toBe('technician_home');
      expect(q.lines.map((l: { kind: string }) => l.kind)).toEqual(['service', 'addon', 'travel']);
      // 26800 + 2 × 3000 + ceil((5560 − 3000) / 1000) = 3 km × 200
      expect(q.totalFen).toBe(26800 + 6000 + 600);
      expect(new Date(q.expiresAt).getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);
    });

    it('measures from the store for "any technician"', async () => {
      const c = await orderCustomer(f, t.app, a);
      const q = await quote(storeA, c);
      expect(q).toMatchObject({ totalFen: 19800 });
      expect((q as unknown as { distanceOrigin: string }).distanceOrigin).toBe('store');
    });

    it.each([
      ['an address outside the service area', 'addressId', 'OUTSIDE_SERVICE_AREA', 'far'],
      ['a start in the past', 'startAt', 'START_IN_PAST', { startAt: new Date(Date.now() - 3600_000).toISOString() }],
      [
        'a start inside the lead time',
        'startAt',
        'START_TOO_SOON',
        { startAt: new Date(Date.now() + 10 * 60_000).toISOString() },
      ],
      [
        'a start beyond the booking window',
        'startAt',
        'START_BEYOND_WINDOW',
        { startAt: new Date(Date.now() + 40 * 86400_000).toISOString() },
      ],
      ['a duration not offered', 'durationMinutes', 'DURATION_NOT_OFFERED', { durationMinutes: 45 }],
      ['another customer’s address', 'addressId', 'ADDRESS_NOT_FOUND', 'other'],
      ['another store’s service', 'serviceId', 'SERVICE_NOT_FOUND', 'serviceB'],
    ])('refuses %s with 400 naming %s', async (_name, field, code, over) => {
      const c = await orderCustomer(f, t.app, a, over === 'far' ? FAR : undefined);
      let body = quoteBody(storeA, c.addressId, typeof over === 'object' ? over : {});
      if (over === 'other') body = { ...body, addressId: (await orderCustomer(f, t.app, a)).addressId };
      if (over === 'serviceB') body = { ...body, serviceId: storeB.serviceId };
      const res = await call('POST', a, 'quotes', c.token, body);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json()).toMatchObject({ code, fields: [expect.objectContaining({ field })] });
    });

    it('rejects client-sent prices and is for customers only', async () => {
      const c = await orderCustomer(f, t.app, a);
      const res = await call('POST', a, 'quotes', c.token, { ...quoteBody(storeA, c.addressId), totalFen: 1 });
      expect(res.statusCode).toBe(400);
      expect(res.json().fields[0].field).toBe('totalFen');
      for (const who of ['ownerA', 'staffA']) {
        expect((await call('POST', a, 'quotes', tok[who], quoteBody(storeA, c.addressId))).statusCode).toBe(403);
      }
      expect((await call('POST', a, 'quotes', undefined, quoteBody(storeA, c.addressId))).statusCode).toBe(401);
      expect((await call('POST', b, 'quotes', c.token, quoteBody(storeB, c.addressId))).statusCode).toBe(403);
    });
  });

  describe('booking', () => {
    it('books a quote: order number, snapshot, first event, unpaid deadline', async () => {
      const c = await orderCustomer(f, t.app, a);
      const q = await quote(storeA, c);
      const res = await book(a, c.token, q.id, randomUUID(), { notes: '请带床单' });
      expect(res.statusCode, res.body).toBe(201);
      const o = res.json();
      expect(o).toMatchObject({
        status: 'pending_payment',
        totalFen: q.totalFen,
        notes: '请带床单',
        technicianId: null,
      });
      expect(o.orderNo).toMatch(/^JA\d{8}-\d{4}$/);
      expect(new Date(o.paymentDueAt).getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);
      const detail = (await call('GET', a, `orders/${o.id}`, c.token)).json();
      expect(detail.address).toMatchObject({ contactName: '王女士', houseNumber: '1号101室', kind: 'home' });
      expect(detail.events).toEqual([expect.objectContaining({ event: 'place', toStatus: 'pending_payment' })]);
      const raw = await f.query(`SELECT address_enc FROM orders WHERE id = $1`, [o.id]);
      expect(Buffer.from(raw.rows[0]!.address_enc).toString('latin1')).not.toContain('101');
    });

    it('refuses a missing Idempotency-Key, an expired quote, a used quote', async () => {
      const c = await orderCustomer(f, t.app, a);
      const q = await quote(storeA, c);
      const noKey = await call('POST', a, 'orders', c.token, { quoteId: q.id, paymentMethod: 'sandbox' });
      expect(noKey.statusCode).toBe(400);
      expect(noKey.json().fields[0].field).toBe('Idempotency-Key');
      expect((await book(a, c.token, q.id)).statusCode).toBe(201);
      const again = await book(a, c.token, q.id);
      expect(again.statusCode).toBe(400);
      expect(again.json().code).toBe('QUOTE_ALREADY_USED');

      const old = await quote(storeA, c);
      await f.query(`UPDATE quotes SET expires_at = now() - interval '1 second' WHERE id = $1`, [old.id]);
      const expired = await book(a, c.token, old.id);
      expect(expired.statusCode).toBe(410);
      expect(expired.json()).toMatchObject({ code: 'QUOTE_EXPIRED', fields: [{ field: 'quoteId' }] });
    });

    it('same key + same body → the same order; same key + different body → 422', async () => {
      const c = await orderCustomer(f, t.app, a);
      const q = await quote(storeA, c);
      const key = randomUUID();
      const first = await book(a, c.token, q.id, key);
      const second = await book(a, c.token, q.id, key);
      expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
      expect(second.json().id).toBe(first.json().id);
      expect(second.headers['idempotent-replayed']).toBe('true');
      const other = await book(a, c.token, q.id, key, { notes: 'changed' });
      expect(other.statusCode).toBe(422);
      expect(other.json().code).toBe('IDEMPOTENCY_KEY_REUSED');
    });

    it('20 parallel requests with one Idempotency-Key → one order, all answers carry its id', async () => {
      const c = await orderCustomer(f, t.app, a);
      const techId = await orderTechnician(f, a);
      const q = await quote(storeA, c, { technicianId: techId, startAt: tomorrowAt(5) });
      const key = randomUUID();
      const res = await Promise.all(Array.from({ length: 20 }, () => book(a, c.token, q.id, key)));
      expect(res.map((r) => r.statusCode)).toEqual(Array(20).fill(201));
      expect(new Set(res.map((r) => r.json().id)).size).toBe(1);
      const n = await f.query(`SELECT count(*)::int AS n FROM orders WHERE customer_id = $1`, [c.id]);
      expect(n.rows[0]!.n).toBe(1);
      const holds = await f.query(
        `SELECT count(*)::int AS n FROM technician_busy WHERE technician_id = $1 AND active`,
        [techId],
      );
      expect(holds.rows[0]!.n).toBe(1);
    });

    it('one Idempotency-Key racing on both kinds of unit of work (plain pg, Prisma) → one order, the rest 201 or 422', async () => {
      const c = await orderCustomer(f, t.app, a);
      const techId = await orderTechnician(f, a);
      const q = await quote(storeA, c, { technicianId: techId, startAt: tomorrowAt(7) });
      const key = randomUUID();
      // sandbox books on plain pg (lock taken by the opening message), pay on arrival in Prisma
      const methods = Array.from({ length: 16 }, (_, i) => (i % 2 ? 'on_arrival' : 'sandbox'));
      const res = await Promise.all(methods.map((m) => book(a, c.token, q.id, key, { paymentMethod: m })));
      const n = await f.query<{ n: number; method: string }>(
        `SELECT count(*)::int AS n, min(payment_method) AS method FROM orders WHERE customer_id = $1`,
        [c.id],
      );
      expect(n.rows[0]!.n).toBe(1);
      const winner = n.rows[0]!.method;
      expect(res.map((r) => r.statusCode)).toEqual(methods.map((m) => (m === winner ? 201 : 422)));
      expect(new Set(res.filter((r) => r.statusCode === 201).map((r) => r.json().id)).size).toBe(1);
    });

    it('50 customers booking one technician for overlapping times in parallel → exactly 1 wins, 49 get 409', async () => {
      const techId = await orderTechnician(f, a);
      const customers = await Promise.all(Array.from({ length: 50 }, () => orderCustomer(f, t.app, a)));
      const quotes: Array<{ id: string }> = [];
      for (const [i, c] of customers.entries()) {
        // 60-minute bookings starting every 10 minutes: each overlaps the first
        const start = new Date(new Date(tomorrowAt(7)).getTime() + (i % 5) * 10 * 60_000).toISOString();
        quotes.push(await quote(storeA, c, { technicianId: techId, startAt: start }));
      }
      const res = await Promise.all(customers.map((c, i) => book(a, c.token, quotes[i]!.id)));
      const codes = res.map((r) => r.statusCode).sort();
      expect(codes.filter((s) => s === 201)).toHaveLength(1);
      expect(codes.filter((s) => s === 409)).toHaveLength(49);
      expect(res.find((r) => r.statusCode === 409)!.json().code).toBe('SLOT_TAKEN');
      const orders = await f.query(`SELECT count(*)::int AS n FROM orders WHERE technician_id = $1`, [techId]);
      expect(orders.rows[0]!.n).toBe(1);
    });

    it('numbers orders per store and local day without gaps, also under concurrency and on both kinds of unit of work', async () => {
      const cs = await Promise.all(Array.from({ length: 12 }, () => orderCustomer(f, t.app, b)));
      const qs: Array<{ id: string }> = [];
      for (const c of cs) qs.push(await quote(storeB, c));
      // sandbox books on plain pg (number taken by the closing statement, with COMMIT), pay on
      // arrival in a Prisma transaction (number taken at once: its notices name it)
      const method = (i: number) => (i % 3 === 0 ? 'on_arrival' : 'sandbox');
      const res = await Promise.all(
        cs.map((c, i) => book(b, c.token, qs[i]!.id, randomUUID(), { paymentMethod: method(i) })),
      );
      expect(res.map((r) => r.statusCode)).toEqual(Array(12).fill(201));
      const seqs = res.map((r) => Number(r.json().orderNo.split('-')[1])).sort((x, y) => x - y);
      expect(seqs).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
      // the answer carries the committed number, and the first event names it
      const rows = await f.query<{ id: string; order_no: string; event_no: string }>(
        `SELECT o.id, o.order_no, e.details->>'orderNo' AS event_no
           FROM orders o JOIN order_events e ON e.tenant_id = o.tenant_id AND e.order_id = o.id AND e.event = 'place'
          WHERE o.tenant_id = $1`,
        [b.id],
      );
      const committed = new Map(rows.rows.map((r) => [r.id, r]));
      for (const r of res) {
        const row = committed.get(r.json().id)!;
        expect(row.order_no).toBe(r.json().orderNo);
        expect(row.event_no).toBe(row.order_no);
      }
      const provisional = await f.query(`SELECT count(*)::int AS n FROM orders WHERE order_no LIKE '~%'`);
      expect(provisional.rows[0]!.n).toBe(0);
    });

    it('a plain-pg booking touches the day’s counter only in its last statement, sent with its COMMIT', async () => {
      const c = await orderCustomer(f, t.app, a);
      const q = await quote(storeA, c, { startAt: tomorrowAt(9) });
      // Another transaction holds today's counter row of store A.
      const locker = new pg.Client({ connectionString: db.adminUrl });
      const recorder = new StatementRecorder();
      await locker.connect();
      try {
        await locker.query('BEGIN');
        await locker.query(
          `INSERT INTO order_number_counters (tenant_id, local_date, last_seq)
           VALUES ($1, (now() AT TIME ZONE 'Asia/Shanghai')::date, 1)
           ON CONFLICT (tenant_id, local_date) DO UPDATE SET last_seq = order_number_counters.last_seq`,
          [a.id],
        );
        recorder.install();
        const booking = recorder.measure(() => book(a, c.token, q.id, randomUUID(), { pay: {} }));
        // The booking runs up to the counter: everything else (idempotency lock, hold, order,
        // payment) is done when it waits, and the statement that waits is the numbering one.
        let waiting: { query: string } | undefined;
        for (let i = 0; i < 200 && !waiting; i++) {
          // not on the locker: inside a transaction pg_stat_activity is a snapshot from its first read.
          // A row lock held by another transaction is waited for as its transactionid (a momentary
          // relation-extension wait of some other insert is a 'Lock' too, and not the one asked about).
          const r = await f.query<{ query: string }>(
            `SELECT query FROM pg_stat_activity
              WHERE datname = current_database() AND usename = 'massage_app'
                AND wait_event_type = 'Lock' AND wait_event = 'transactionid'`,
          );
          waiting = r.rows[0];
          if (!waiting) await new Promise((r) => setTimeout(r, 10));
        }
        expect(waiting?.query).toMatch(/^\s*WITH seq AS \(\s*INSERT INTO order_number_counters/);
        await locker.query('COMMIT');
        const { value: res, sql } = await booking;
        expect(res.statusCode, res.body).toBe(201);
        // …and that statement went out in one write with the COMMIT (no round trip in between)
        expect(sql.filter((q) => q.includes('order_number_counters'))).toEqual([
          expect.stringMatching(/^\s*WITH seq AS[\s\S]* ⇢ COMMIT$/),
        ]);
        expect(res.json().orderNo).toMatch(/^JA\d{8}-\d{4}$/);
        expect(res.json().checkout.payment.status).toBe('pending');
      } finally {
        recorder.restore();
        await locker.end();
      }
    });
  });

  describe('visibility, roles and other stores', () => {
    it('customers see only their own orders; staff see all; B’s ids via A → 404; A’s token at B → 403', async () => {
      const c1 = await orderCustomer(f, t.app, a);
      const c2 = await orderCustomer(f, t.app, a);
      const o1 = (await book(a, c1.token, (await quote(storeA, c1)).id)).json();
      const cb = await orderCustomer(f, t.app, b);
      const ob = (await book(b, cb.token, (await quote(storeB, cb)).id)).json();

      expect((await call('GET', a, `orders/${o1.id}`, c2.token)).statusCode).toBe(404);
      const mine = (await call('GET', a, 'orders', c2.token)).json();
      expect(mine.map((o: { id: string }) => o.id)).not.toContain(o1.id);
      for (const who of ['ownerA', 'managerA', 'staffA']) {
        expect((await call('GET', a, `orders/${o1.id}`, tok[who])).statusCode).toBe(200);
        const listed = (await call('GET', a, `orders?status=pending_payment&limit=100`, tok[who])).json();
        expect(listed.map((o: { id: string }) => o.id)).toContain(o1.id);
      }
      const gone = await call('GET', a, `orders/${ob.id}`, token('ownerA'));
      expect(gone.statusCode).toBe(404);
      expect(gone.body).not.toContain(ob.orderNo);
      expect((await call('POST', a, `orders/${ob.id}/cancel`, c1.token, { reason: 'x' })).statusCode).toBe(404);
      expect(
        (await call('POST', a, `orders/${ob.id}/transitions`, token('ownerA'), { event: 'dispatch' })).statusCode,
      ).toBe(404);
      expect(
        (await call('POST', a, `orders/${ob.id}/extensions`, token('ownerA'), { addonId: storeB.addonId, quantity: 1 }))
          .statusCode,
      ).toBe(404);
      // staff filters: by start window and technician
      const day = (
        await call('GET', a, `orders?from=${tomorrowAt(1)}&to=${tomorrowAt(3)}&limit=100`, token('staffA'))
      ).json();
      expect(day.map((o: { id: string }) => o.id)).toContain(o1.id);
      expect(day.every((o: { startAt: string }) => o.startAt >= tomorrowAt(1) && o.startAt < tomorrowAt(3))).toBe(true);
      const none = (await call('GET', a, `orders?technicianId=${randomUUID()}`, token('staffA'))).json();
      expect(none).toEqual([]);
      expect((await call('GET', a, 'orders?status=bogus', token('staffA'))).json().fields[0].field).toBe('status');
      expect((await call('GET', b, `orders/${ob.id}`, token('ownerA'))).statusCode).toBe(403);
      expect((await call('GET', b, 'orders', c1.token)).statusCode).toBe(403);
      expect((await call('GET', a, 'orders')).statusCode).toBe(401);
    });

    it('only customers book; only owners/managers move orders; store staff read', async () => {
      const c = await orderCustomer(f, t.app, a);
      const q = await quote(storeA, c);
      const techId = await orderTechnician(f, a);
      const techToken = await f.token({ id: techId, role: 'technician', tenantId: a.id });
      expect((await book(a, token('ownerA'), q.id)).statusCode).toBe(403);
      expect((await book(a, techToken, q.id)).statusCode).toBe(403);
      const o = (await book(a, c.token, q.id)).json();
      expect(
        (await call('POST', a, `orders/${o.id}/transitions`, token('staffA'), { event: 'dispatch' })).statusCode,
      ).toBe(403);
      expect((await call('POST', a, `orders/${o.id}/transitions`, c.token, { event: 'dispatch' })).statusCode).toBe(
        403,
      );
      expect((await call('POST', a, `orders/${o.id}/cancel`, token('staffA'), { reason: 'x' })).statusCode).toBe(403);
      for (const who of [token('staffA'), c.token, techToken]) {
        const r = await call('POST', a, `orders/${o.id}/extensions`, who, { addonId: storeA.addonId, quantity: 1 });
        expect(r.statusCode).toBe(403);
      }
      // a technician sees no order that is not assigned to them
      expect((await call('GET', a, `orders/${o.id}`, techToken)).statusCode).toBe(404);
      expect((await call('GET', a, 'orders', techToken)).json()).toEqual([]);
    });
  });

  describe('state changes', () => {
    it('illegal transitions → 409 ILLEGAL_TRANSITION, nothing written', async () => {
      const c = await orderCustomer(f, t.app, a);
      const o = (await book(a, c.token, (await quote(storeA, c)).id)).json();
      const res = await call('POST', a, `orders/${o.id}/transitions`, token('managerA'), { event: 'accept' });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ code: 'ILLEGAL_TRANSITION', from: 'pending_payment', event: 'accept' });
      const ev = await f.query(`SELECT count(*)::int AS n FROM order_events WHERE order_id = $1`, [o.id]);
      expect(ev.rows[0]!.n).toBe(1);
    });

    it('payment port: paid → assigned when a technician was chosen, replays change nothing, wrong amount refused', async () => {
      const c = await orderCustomer(f, t.app, a);
      const techId = await orderTechnician(f, a);
      const q = await quote(storeA, c, { technicianId: techId, startAt: tomorrowAt(9) });
      const o = (await book(a, c.token, q.id)).json();
      const port = t.app.get(OrdersPaymentPort);
      const ctx = t.app.get(TenantContext);
      await expect(
        ctx.run(a.id, () => port.markPaid(o.id, { paymentId: 'p1', amountFen: q.totalFen - 1 })),
      ).rejects.toThrow();
      const paid = await ctx.run(a.id, () => port.markPaid(o.id, { paymentId: 'p1', amountFen: q.totalFen }));
      expect(paid.status).toBe('assigned');
      const again = await ctx.run(a.id, () => port.markPaid(o.id, { paymentId: 'p1', amountFen: q.totalFen }));
      expect(again.status).toBe('assigned');
      const ev = await f.query(
        `SELECT event, from_status, to_status FROM order_events WHERE order_id = $1 ORDER BY created_at`,
        [o.id],
      );
      expect(ev.rows.map((r) => `${r.from_status}>${r.to_status}`)).toEqual([
        'new>pending_payment',
        'pending_payment>paid',
        'paid>assigned',
      ]);
    });

    it('cancel by policy: free early, records the refund owed and releases the technician', async () => {
      const c = await orderCustomer(f, t.app, a);
      const techId = await orderTechnician(f, a);
      const q = await quote(storeA, c, { technicianId: techId, startAt: tomorrowAt(11) });
      const o = (await book(a, c.token, q.id)).json();
      await t.app
        .get(TenantContext)
        .run(a.id, () => t.app.get(OrdersPaymentPort).markPaid(o.id, { paymentId: 'p2', amountFen: q.totalFen }));
      const res = await call('POST', a, `orders/${o.id}/cancel`, c.token, { reason: '临时有事' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({
        order: { status: 'cancelled' },
        refund: { amountFen: q.totalFen, feeFen: 0, technicianShareFen: 0, status: 'pending' },
      });
      const busy = await f.query(`SELECT count(*)::int AS n FROM technician_busy WHERE technician_id = $1 AND active`, [
        techId,
      ]);
      expect(busy.rows[0]!.n).toBe(0);
      const twice = await call('POST', a, `orders/${o.id}/cancel`, c.token, { reason: 'again' });
      expect(twice.statusCode).toBe(409);
      expect(twice.json().code).toBe('ILLEGAL_TRANSITION');
    });

    it('late cancel after departure: fee by the schedule, the technician gets their share', async () => {
      const c = await orderCustomer(f, t.app, a);
      const techId = await orderTechnician(f, a);
      const q = await quote(storeA, c, { technicianId: techId, startAt: tomorrowAt(13) });
      const o = (await book(a, c.token, q.id)).json();
      // Paid for real (stored balance), so the cancellation's refund has a payment to go back through.
      await topUpWallet(t.app, a.id, c.id, q.totalFen);
      const paid = await call('POST', a, `orders/${o.id}/pay`, c.token, { method: 'balance' });
      expect(paid.statusCode, paid.body).toBeLessThan(300);
      for (const event of ['accept', 'depart']) {
        const r = await call('POST', a, `orders/${o.id}/transitions`, token('managerA'), { event });
        expect(r.statusCode, r.body).toBe(200);
      }
      // 20 minutes before the start: inside the 30-minute step (50 %)
      await f.query(`UPDATE orders SET start_at = now() + interval '20 minutes' WHERE id = $1`, [o.id]);
      const res = await call('POST', a, `orders/${o.id}/cancel`, c.token, { reason: '改期' });
      expect(res.statusCode, res.body).toBe(200);
      const fee = Math.floor(q.totalFen / 2);
      expect(res.json().refund).toEqual({
        amountFen: q.totalFen - fee,
        feeFen: fee,
        technicianShareFen: Math.floor(fee / 2),
        status: 'pending',
      });
      // The request is executed as soon as the cancel commits: the refundable part goes back to the wallet.
      const rr = await f.query(`SELECT amount_fen, status FROM refund_requests WHERE order_id = $1`, [o.id]);
      expect(rr.rows).toEqual([{ amount_fen: q.totalFen - fee, status: 'executed' }]);
      const ord = await f.query(`SELECT refunded_fen FROM orders WHERE id = $1`, [o.id]);
      expect(ord.rows[0]!.refunded_fen).toBe(q.totalFen - fee);
    });

    it('technician sees the address only while the job is theirs; 加钟 extends end, busy time and the charge', async () => {
      const c = await orderCustomer(f, t.app, a);
      const techId = await orderTechnician(f, a);
      const techToken = await f.token({ id: techId, role: 'technician', tenantId: a.id });
      const ext = await f.query<{ id: string }>(
        `INSERT INTO service_addons (tenant_id, service_id, kind, name_zh, minutes, price_fen, max_quantity)
         VALUES ($1, $2, 'extension', '加钟30分钟', 30, 9900, 2) RETURNING id`,
        [a.id, storeA.serviceId],
      );
      const q = await quote(storeA, c, { technicianId: techId, startAt: tomorrowAt(15) });
      const o = (await book(a, c.token, q.id)).json();
      expect((await call('GET', a, `orders/${o.id}`, techToken)).statusCode).toBe(404);
      const early = await call('POST', a, `orders/${o.id}/extensions`, token('managerA'), {
        addonId: ext.rows[0]!.id,
        quantity: 1,
      });
      expect(early.statusCode).toBe(409);
      await t.app
        .get(TenantContext)
        .run(a.id, () => t.app.get(OrdersPaymentPort).markPaid(o.id, { paymentId: 'p4', amountFen: q.totalFen }));
      const assigned = await call('GET', a, `orders/${o.id}`, techToken);
      expect(assigned.statusCode).toBe(200);
      expect(assigned.json().address).toMatchObject({ houseNumber: '1号101室' });
      for (const event of ['accept', 'depart', 'arrive', 'start_service']) {
        expect((await call('POST', a, `orders/${o.id}/transitions`, token('managerA'), { event })).statusCode).toBe(
          200,
        );
      }
      const material = await call('POST', a, `orders/${o.id}/extensions`, token('managerA'), {
        addonId: storeA.addonId,
        quantity: 1,
      });
      expect(material.statusCode).toBe(400);
      expect(material.json().fields[0].field).toBe('addonId');
      const res = await call('POST', a, `orders/${o.id}/extensions`, token('managerA'), {
        addonId: ext.rows[0]!.id,
        quantity: 2,
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ minutes: 60, amountFen: 19800, status: 'pending_payment' });
      expect(new Date(res.json().order.endAt).getTime() - new Date(o.endAt).getTime()).toBe(60 * 60_000);
      const busy = await f.query(
        `SELECT upper(during) AS end FROM technician_busy WHERE technician_id = $1 AND active`,
        [techId],
      );
      expect(busy.rows.map((r) => new Date(r.end).getTime())).toEqual([new Date(res.json().order.endAt).getTime()]);
      await t.app
        .get(TenantContext)
        .run(a.id, () =>
          t.app.get(OrdersPaymentPort).markExtensionPaid(res.json().id, { paymentId: 'p5', amountFen: 19800 }),
        );
      const paid = await f.query(`SELECT paid_fen FROM orders WHERE id = $1`, [o.id]);
      expect(paid.rows[0]!.paid_fen).toBe(q.totalFen + 19800);

      expect(
        (await call('POST', a, `orders/${o.id}/transitions`, token('managerA'), { event: 'complete' })).statusCode,
      ).toBe(200);
      const done = await call('GET', a, `orders/${o.id}`, techToken);
      expect(done.statusCode).toBe(200);
      expect(done.json().address).toBeUndefined();
      const log = (await call('GET', a, `orders/${o.id}`, token('managerA'))).json();
      expect(log.events.map((e: { event: string }) => e.event)).toEqual([
        'place',
        'pay',
        'assign',
        'accept',
        'depart',
        'arrive',
        'start_service',
        'extend',
        'complete',
      ]);
    });
  });

  describe('order settings', () => {
    it('owner sets the rules; bookings use them; other roles and stores are refused', async () => {
      const c3 = await f.newTenant();
      const store3 = await orderStore(f, c3);
      const owner = await f.newStaff(c3, { role: 'tenant_owner' });
      const manager = await f.newStaff(c3, { role: 'store_manager' });
      const ownerTok = await f.token({ id: owner.id, role: 'tenant_owner', tenantId: c3.id });
      const managerTok = await f.token({ id: manager.id, role: 'store_manager', tenantId: c3.id });
      const cust = await orderCustomer(f, t.app, c3);

      const defaults = await call('GET', c3, 'order-settings', managerTok);
      expect(defaults.statusCode).toBe(200);
      expect(defaults.json()).toMatchObject({
        unpaidTimeoutMinutes: 15,
        freeCancelMinutes: 120,
        orderNumberPrefix: null,
      });
      const bad = await call('PUT', c3, 'order-settings', ownerTok, {
        cancellationFees: [{ withinMinutes: 30, feePercent: 150 }],
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().fields[0].field).toBe('cancellationFees.0.feePercent');
      expect((await call('PUT', c3, 'order-settings', managerTok, { unpaidTimeoutMinutes: 5 })).statusCode).toBe(403);
      expect((await call('GET', c3, 'order-settings', cust.token)).statusCode).toBe(403);
      expect((await call('PUT', c3, 'order-settings', token('ownerA'), { unpaidTimeoutMinutes: 5 })).statusCode).toBe(
        403,
      );

      const put = await call('PUT', c3, 'order-settings', ownerTok, {
        unpaidTimeoutMinutes: 5,
        orderNumberPrefix: 'QQ',
      });
      expect(put.statusCode, put.body).toBe(200);
      expect(put.json()).toMatchObject({ unpaidTimeoutMinutes: 5, orderNumberPrefix: 'QQ', freeCancelMinutes: 120 });
      const o = (await book(c3, cust.token, (await quote(store3, cust)).id)).json();
      expect(o.orderNo).toMatch(/^QQ\d{8}-0001$/);
      const due = new Date(o.paymentDueAt).getTime() - Date.now();
      expect(due).toBeGreaterThan(4 * 60_000);
      expect(due).toBeLessThanOrEqual(5 * 60_000);
    });
  });

  it('documents every order endpoint in OpenAPI (Idempotency-Key header, error codes)', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/docs-json' })).json<{
      paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }>; summary?: string }>>;
    }>();
    const routes = [
      ['post', '/api/quotes'],
      ['post', '/api/orders'],
      ['get', '/api/orders'],
      ['get', '/api/orders/{id}'],
      ['post', '/api/orders/{id}/cancel'],
      ['post', '/api/orders/{id}/transitions'],
      ['post', '/api/orders/{id}/extensions'],
      ['get', '/api/order-settings'],
      ['put', '/api/order-settings'],
      ['get', '/api/addresses'],
      ['post', '/api/addresses'],
      ['patch', '/api/addresses/{id}'],
      ['delete', '/api/addresses/{id}'],
    ] as const;
    for (const [method, path] of routes) expect(doc.paths[path]?.[method]?.summary, `${method} ${path}`).toBeTruthy();
    expect(doc.paths['/api/orders']!.post!.parameters).toContainEqual(
      expect.objectContaining({ name: 'Idempotency-Key', in: 'header' }),
    );
  });
});
