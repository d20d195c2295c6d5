import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DispatchService } from '../src/modules/dispatch/dispatch.service';
import { postgresCode } from '../src/modules/scheduling/busy-time.service';
import { TenantContext } from '../src/platform/database/tenant-context';
import { DispatchWorld } from './support/dispatch-fixtures';
import { Factory } from './support/factories';
import { dispatchingOrder, onDutyTechnicians, slotStart } from './support/grab-fixtures';
import { createTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';

/**
 * Lock order (src/modules/dispatch/lock-order.ts): dispatch run → grab listing → order → the
 * order's rows (busy hold, offers, pool offer). A grab claim used to take the listing first and
 * the run second, while the grab-step widen takes the run and then re-opens the listing: under
 * load the two deadlocked (40P01, the claim answered 500). These race them for real.
 */
describe('dispatch lock order: grab claims against radius widens', () => {
  let db: TestDatabase;
  let t: TestApp;
  let f: Factory;

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await createTestApp(db, { RUN_WORKERS: 'false', DB_POOL_MAX: '12' });
    f = await Factory.create(db, t.app);
  });
  afterAll(async () => {
    await f?.close();
    await t?.close();
    await db?.drop();
  });

  it('40 orders, each claimed by 3 technicians while its grab step widens: no deadlock, one winner each', async () => {
    const w = await DispatchWorld.create(f, { mode: 'grab', offerTimeoutSeconds: 600, radiusStepsM: [3000, 10000] });
    const names = ['K1', 'K2', 'K3'];
    for (const name of names) await w.tech({ name, km: 1 });
    const tokens = await Promise.all(names.map((n) => w.techToken(t, n)));
    const c = await w.customer(t);
    const store = { tenant: w.a, serviceId: w.store.serviceId, customerId: c.id, addressId: c.addressId };
    const ctx = t.app.get(TenantContext);
    const dispatch = t.app.get(DispatchService);

    const orders: string[] = [];
    for (let i = 0; i < 40; i++) {
      const id = await dispatchingOrder(f, t.app, store, { startAt: slotStart(i) });
      expect(await ctx.run(w.a.id, () => dispatch.start(id))).toBe('grab'); // step 0 of grab mode: listed
      orders.push(id);
    }

    const failures: string[] = [];
    const widen = (orderId: string) =>
      ctx
        .run(w.a.id, () => dispatch.grabStepElapsed(orderId, 0))
        .catch((e: unknown) => {
          failures.push(`widen ${postgresCode(e) ?? ''} ${(e as Error).message.slice(0, 200)}`);
          return 'failed';
        });
    const claim = (orderId: string, token: string) =>
      t.app.inject({
        method: 'POST',
        url: `/t/${w.a.slug}/api/grab/orders/${orderId}/claim`,
        headers: { authorization: `Bearer ${token}` },
      });
    const race = async (orderId: string, i: number) => {
      // the widen starts 0–19 ms after the claims, so across the orders it meets them at every point
      const claims = Promise.all(tokens.map((_, k) => claim(orderId, tokens[(k + i) % tokens.length]!)));
      await new Promise((r) => setTimeout(r, (i * 7) % 20));
      const [done, widened] = await Promise.all([claims, widen(orderId)]);
      return { orderId, claims: done, widened };
    };
    const runs: Array<Awaited<ReturnType<typeof race>>> = [];
    for (let i = 0; i < orders.length; i += 4) {
      runs.push(...(await Promise.all(orders.slice(i, i + 4).map((id, k) => race(id, i + k)))));
    }

    for (const r of runs) {
      for (const res of r.claims) {
        if (![200, 409].includes(res.statusCode)) failures.push(`claim ${res.statusCode} ${res.body.slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);

    const winnerOf = new Map<string, string>();
    for (const r of runs) {
      const winners = r.claims.filter((res) => res.statusCode === 200);
      expect(winners, r.orderId).toHaveLength(1);
      winnerOf.set(r.orderId, winners[0]!.json<{ technicianId: string }>().technicianId);
      expect(r.claims.filter((res) => res.statusCode === 409).map((res) => res.json().code)).toEqual([
        'ALREADY_TAKEN',
        'ALREADY_TAKEN',
      ]);
      // the widen either ran before the winning claim (step 1 opened) or found the order gone
      expect(['grab', 'moved-on']).toContain(r.widened);
    }

    const rows = await f.query<{ id: string; status: string; technician_id: string; listing: string; winner: string }>(
      `SELECT o.id, o.status, o.technician_id, l.status AS listing, l.technician_id AS winner
         FROM orders o JOIN grab_listings l ON l.tenant_id = o.tenant_id AND l.order_id = o.id
        WHERE o.id = ANY($1::uuid[])`,
      [orders],
    );
    expect(rows.rows).toHaveLength(40);
    for (const row of rows.rows) {
      expect(row).toMatchObject({ status: 'accepted', listing: 'taken' }); // the claim is the acceptance
      expect(row.technician_id).toBe(row.winner);
      expect(row.technician_id).toBe(winnerOf.get(row.id));
    }
    const counts = await f.query<{ assigns: number; holds: number; runs: number }>(
      `SELECT (SELECT count(*)::int FROM order_events WHERE event = 'assign' AND order_id = ANY($1::uuid[])) AS assigns,
              (SELECT count(*)::int FROM technician_busy WHERE active AND reference_id = ANY($1::uuid[])) AS holds,
              (SELECT count(*)::int FROM dispatch_runs WHERE state = 'assigned' AND order_id = ANY($1::uuid[])) AS runs`,
      [orders],
    );
    expect(counts.rows[0]).toEqual({ assigns: 40, holds: 40, runs: 40 });
    // a widen that lost the race never re-opened a taken order
    const reopened = await f.query(
      `SELECT 1 FROM dispatch_log l JOIN order_events e ON e.order_id = l.order_id AND e.event = 'assign'
        WHERE l.kind = 'grab_opened' AND l.order_id = ANY($1::uuid[]) AND l.at > e.created_at`,
      [orders],
    );
    expect(reopened.rowCount).toBe(0);
  }, 120_000);

  it('an order both in the grab hall and the shared pool: grab and pool claims race, exactly one wins', async () => {
    const w = await DispatchWorld.create(f, { mode: 'grab', offerTimeoutSeconds: 600, radiusStepsM: [3000, 10000] });
    await f.query(`UPDATE dispatch_settings SET pool_participation = 'giver' WHERE tenant_id = $1`, [w.a.id]);
    await f.query(`UPDATE platform_settings SET shared_pool_enabled = true`);
    const taker = await f.newTenant();
    await f.query(`INSERT INTO dispatch_settings (tenant_id, pool_participation) VALUES ($1, 'taker')`, [taker.id]);
    for (const name of ['H1', 'H2']) await w.tech({ name, km: 1 });
    const own = await Promise.all(['H1', 'H2'].map((n) => w.techToken(t, n)));
    const others = (await onDutyTechnicians(f, taker, 2)).map((x) => x.token);
    const c = await w.customer(t);
    const store = { tenant: w.a, serviceId: w.store.serviceId, customerId: c.id, addressId: c.addressId };
    const ctx = t.app.get(TenantContext);
    const dispatch = t.app.get(DispatchService);
    const post = (slug: string, path: string, token: string) =>
      t.app.inject({ method: 'POST', url: `/t/${slug}/api/${path}`, headers: { authorization: `Bearer ${token}` } });

    const failures: string[] = [];
    const outcomes: string[] = [];
    for (let i = 0; i < 40; i += 4) {
      await Promise.all(
        [0, 1, 2, 3].map(async (k) => {
          const orderId = await dispatchingOrder(f, t.app, store, { startAt: slotStart(50 + i + k) });
          await ctx.run(w.a.id, () => dispatch.start(orderId));
          const pub = await post(w.a.slug, `shared-pool/orders/${orderId}/publish`, w.owner);
          expect(pub.statusCode, pub.body).toBe(200);
          const offerId = pub.json<{ offerId: string }>().offerId;
          // the pool claims start 0–119 ms after the grab claims: across the orders they meet at every point
          const later = (ms: number) => new Promise((r) => setTimeout(r, ms));
          const claims = await Promise.all([
            post(w.a.slug, `grab/orders/${orderId}/claim`, own[k % 2]!),
            later(((i + k) * 17) % 120).then(() =>
              post(taker.slug, `shared-pool/offers/${offerId}/claim`, others[k % 2]!),
            ),
            post(w.a.slug, `grab/orders/${orderId}/claim`, own[(k + 1) % 2]!),
            later(((i + k) * 29) % 120).then(() =>
              post(taker.slug, `shared-pool/offers/${offerId}/claim`, others[(k + 1) % 2]!),
            ),
          ]);
          for (const r of claims) {
            if (![200, 409].includes(r.statusCode)) failures.push(`${r.statusCode} ${r.body.slice(0, 200)}`);
          }
          const won = claims.map((r, j) => (r.statusCode === 200 ? (j % 2 === 0 ? 'grab' : 'pool') : null));
          expect(won.filter(Boolean), orderId).toHaveLength(1);
          const via = won.find(Boolean)!;
          outcomes.push(via);
          const row = await f.query<{ status: string; technician_id: string | null; listing: string; pool: string }>(
            `SELECT o.status, o.technician_id, l.status AS listing, p.status AS pool
               FROM orders o JOIN grab_listings l ON l.tenant_id = o.tenant_id AND l.order_id = o.id
               JOIN shared_pool_offers p ON p.giving_tenant_id = o.tenant_id AND p.order_id = o.id
              WHERE o.id = $1`,
            [orderId],
          );
          expect(row.rows[0]).toMatchObject(
            via === 'grab' ? { listing: 'taken', pool: 'withdrawn' } : { listing: 'closed', pool: 'taken' },
          );
          const assigns = await f.query(`SELECT 1 FROM order_events WHERE order_id = $1 AND event = 'assign'`, [
            orderId,
          ]);
          expect(assigns.rowCount).toBe(1);
        }),
      );
    }
    expect(failures).toEqual([]);
    expect(outcomes).toHaveLength(40);
  }, 120_000);
});
