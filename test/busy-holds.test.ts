import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TenantContext } from '../src/platform/database/tenant-context';
import { BusyTimeService } from '../src/modules/scheduling/busy-time.service';
import { SlotTakenError } from '../src/modules/scheduling/slot-taken.error';
import { Factory, type TestTenant } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';

const range = (start: string, end: string) => ({ start: new Date(start), end: new Date(end) });

describe('technician busy time (holds)', () => {
  let db: TestDatabase;
  let t: TestApp;
  let f: Factory;
  let ctx: TenantContext;
  let sut: BusyTimeService;
  let store: TestTenant;
  let other: TestTenant;

  beforeAll(async () => {
    db = await createTestDatabase();
    // A pool big enough that the 50 attempts really run side by side.
    t = await createTestApp(db, { DB_POOL_MAX: '20' });
    f = await Factory.create(db, t.app);
    ctx = t.app.get(TenantContext);
    sut = t.app.get(BusyTimeService);
    store = await f.newTenant();
    other = await f.newTenant();
  });
  afterAll(async () => {
    await f?.close();
    await t?.close();
    await db?.drop();
  });

  const newTech = async (tenant = store) => (await f.newTechnician(tenant, { status: 'approved' })).id;
  const activeRows = async (technicianId: string) =>
    (
      await f.query<{ n: string }>(`SELECT count(*) AS n FROM technician_busy WHERE technician_id = $1 AND active`, [
        technicianId,
      ])
    ).rows[0]!.n;

  it('lets exactly one of 50 parallel overlapping holds win; the others get SlotTakenError', async () => {
    const tech = await newTech();
    // Every attempt overlaps every other: all of them contain 02:29–03:01 UTC.
    const attempts = Array.from({ length: 50 }, (_, i) =>
      ctx.run(store.id, () =>
        sut.hold(
          tech,
          {
            start: new Date(Date.UTC(2026, 11, 1, 2, i % 30)),
            end: new Date(Date.UTC(2026, 11, 1, 3, 30 - (i % 30))),
          },
          'hold',
          { referenceId: randomUUID() },
        ),
      ),
    );
    const results = await Promise.allSettled(attempts);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(49);
    for (const r of lost) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(SlotTakenError);
    expect(await activeRows(tech)).toBe('1');
  });

  it('allows back-to-back ranges and other technicians, and frees the time on release', async () => {
    const a = await newTech();
    const b = await newTech();
    const first = await ctx.run(store.id, () =>
      sut.hold(a, range('2026-12-01T02:00:00Z', '2026-12-01T03:00:00Z'), 'booking', {
        location: { lat: 31.23, lng: 121.47 },
      }),
    );
    await ctx.run(store.id, () => sut.hold(a, range('2026-12-01T03:00:00Z', '2026-12-01T04:00:00Z'), 'hold'));
    await ctx.run(store.id, () => sut.hold(b, range('2026-12-01T02:00:00Z', '2026-12-01T03:00:00Z'), 'hold'));
    await expect(
      ctx.run(store.id, () => sut.hold(a, range('2026-12-01T02:59:00Z', '2026-12-01T03:10:00Z'), 'hold')),
    ).rejects.toBeInstanceOf(SlotTakenError);

    expect(await ctx.run(store.id, () => sut.release(first.id))).toBe(true);
    expect(await ctx.run(store.id, () => sut.release(first.id))).toBe(false);
    await ctx.run(store.id, () => sut.hold(a, range('2026-12-01T02:30:00Z', '2026-12-01T03:00:00Z'), 'hold'));
    const released = await f.query(`SELECT active, released_at FROM technician_busy WHERE id = $1`, [first.id]);
    expect(released.rows[0]).toMatchObject({ active: false });
    expect(released.rows[0]!.released_at).toBeInstanceOf(Date);
  });

  it('keeps the unit of work usable after a refused hold (savepoint), so a booking can try someone else', async () => {
    const a = await newTech();
    const b = await newTech();
    await ctx.run(store.id, () => sut.hold(a, range('2026-12-02T02:00:00Z', '2026-12-02T03:00:00Z'), 'booking'));
    const chosen = await ctx.run(store.id, async () => {
      for (const candidate of [a, b]) {
        try {
          await sut.hold(candidate, range('2026-12-02T02:00:00Z', '2026-12-02T03:00:00Z'), 'booking');
          return candidate;
        } catch (e) {
          if (!(e instanceof SlotTakenError)) throw e;
        }
      }
      return null;
    });
    expect(chosen).toBe(b);
    expect(await activeRows(b)).toBe('1');
  });

  it('releases every active row of one reference', async () => {
    const a = await newTech();
    const ref = randomUUID();
    await ctx.run(store.id, async () => {
      await sut.hold(a, range('2026-12-03T02:00:00Z', '2026-12-03T03:00:00Z'), 'hold', { referenceId: ref });
      await sut.hold(a, range('2026-12-03T05:00:00Z', '2026-12-03T06:00:00Z'), 'hold', { referenceId: ref });
    });
    expect(await ctx.run(store.id, () => sut.releaseByReference(ref))).toBe(2);
    expect(await activeRows(a)).toBe('0');
  });

  it('is enforced by the database itself, not only by the service', async () => {
    const a = await newTech();
    await f.query(
      `INSERT INTO technician_busy (tenant_id, technician_id, during, kind)
       VALUES ($1, $2, tstzrange('2026-12-04 10:00+08', '2026-12-04 11:00+08'), 'block')`,
      [store.id, a],
    );
    await expect(
      f.query(
        `INSERT INTO technician_busy (tenant_id, technician_id, during, kind)
         VALUES ($1, $2, tstzrange('2026-12-04 10:30+08', '2026-12-04 12:00+08'), 'block')`,
        [store.id, a],
      ),
    ).rejects.toMatchObject({ code: '23P01' });
    // an empty or inverted range is refused too
    await expect(
      f.query(
        `INSERT INTO technician_busy (tenant_id, technician_id, during, kind)
         VALUES ($1, $2, tstzrange('2026-12-04 12:00+08', '2026-12-04 12:00+08'), 'block')`,
        [store.id, a],
      ),
    ).rejects.toMatchObject({ code: '23514' });
  });

  it('cannot hold or release across stores', async () => {
    const foreignTech = await newTech(other);
    // The technician of store B does not exist inside store A's context (composite FK + RLS).
    await expect(
      ctx.run(store.id, () => sut.hold(foreignTech, range('2026-12-05T02:00:00Z', '2026-12-05T03:00:00Z'), 'hold')),
    ).rejects.toThrow();
    const held = await ctx.run(other.id, () =>
      sut.hold(foreignTech, range('2026-12-05T02:00:00Z', '2026-12-05T03:00:00Z'), 'hold'),
    );
    expect(await ctx.run(store.id, () => sut.release(held.id))).toBe(false);
    expect(await ctx.run(store.id, () => sut.find(held.id))).toBeNull();
    expect(await activeRows(foreignTech)).toBe('1');
  });

  it('refuses an empty range before touching the database', async () => {
    const a = await newTech();
    await expect(
      ctx.run(store.id, () => sut.hold(a, range('2026-12-06T02:00:00Z', '2026-12-06T02:00:00Z'), 'hold')),
    ).rejects.toMatchObject({ status: 400 });
  });
});
