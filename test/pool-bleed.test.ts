import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from '../src/platform/database/prisma';
import { TenantContext } from '../src/platform/database/tenant-context';
import { Factory, type TestTenant } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { insertCustomer } from './support/tenant-table-seeds';

const PER_STORE = 8;
const IN_FLIGHT = 24;

/**
 * Pooled connections are shared by every store: a tenant setting that outlived its transaction,
 * or a transaction client handed to the wrong request, would show up here as another store's rows.
 */
describe('pool bleed', () => {
  let db: TestDatabase;
  let f: Factory;
  let storeA: TestTenant;
  let storeB: TestTenant;

  beforeAll(async () => {
    db = await createTestDatabase();
    f = await Factory.create(db);
    storeA = await f.newTenant();
    storeB = await f.newTenant();
    for (let i = 0; i < PER_STORE; i++) {
      await insertCustomer(f, storeA.id, `A店-${i}`);
      await insertCustomer(f, storeB.id, `B店-${i}`);
    }
  });
  afterAll(async () => {
    await f?.close();
    await db?.drop();
  });

  describe('through HTTP with DB_POOL_MAX=3', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(db, { DB_POOL_MAX: '3' });
    });
    afterAll(async () => {
      await t?.close();
    });

    it('200 interleaved requests from two stores each see only their own customers', async () => {
      const app = await Factory.create(db, t.app);
      const managerA = await app.newStaff(storeA, { role: 'store_manager' });
      const managerB = await app.newStaff(storeB, { role: 'store_manager' });
      const tokens = {
        A: await app.token({ id: managerA.id, role: 'store_manager', tenantId: storeA.id }),
        B: await app.token({ id: managerB.id, role: 'store_manager', tenantId: storeB.id }),
      };
      await app.close();
      const stores = { A: storeA, B: storeB };

      // 200 requests, alternating stores, at most IN_FLIGHT at a time: always many more requests
      // than the 3 connections (so transactions queue and interleave), but not so many that a
      // loaded CI machine trips Prisma's 5 s wait for a transaction.
      const order = Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? 'A' : 'B') as 'A' | 'B');
      const results: { who: 'A' | 'B'; res: Awaited<ReturnType<typeof t.app.inject>> }[] = [];
      let next = 0;
      const worker = async () => {
        while (next < order.length) {
          const who = order[next++]!;
          const res = await t.app.inject({
            method: 'GET',
            url: `/t/${stores[who].slug}/api/customers?limit=50`,
            headers: { authorization: `Bearer ${tokens[who]}` },
          });
          results.push({ who, res });
        }
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
      expect(results).toHaveLength(200);
      const failed = results.filter((r) => r.res.statusCode !== 200).map((r) => r.res.body);
      expect(failed, failed.slice(0, 3).join('\n')).toEqual([]);

      const bleed: string[] = [];
      for (const { who, res } of results) {
        const names: string[] = res.json().items.map((c: { nickname: string }) => c.nickname);
        if (names.length !== PER_STORE || names.some((n) => !n.startsWith(`${who}店-`))) {
          bleed.push(`${who}: ${names.join(',')}`);
        }
      }
      expect(bleed, bleed.slice(0, 5).join('\n')).toEqual([]);

      const { rows } = await f.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND usename = 'massage_app'`,
        [db.name],
      );
      // Two pools of DB_POOL_MAX each: Prisma's and the plain-pg one (runSql), which this route uses.
      expect(rows[0]!.n).toBeLessThanOrEqual(2 * 3);
    });
  });

  describe('TenantContext.run on a pool of 2', () => {
    let prisma: PrismaClient;
    let sqlPool: pg.Pool;
    let sut: TenantContext;
    beforeAll(() => {
      prisma = createPrismaClient(db.appUrl, 2);
      sqlPool = new pg.Pool({ connectionString: db.appUrl, max: 2 });
      sut = new TenantContext(prisma, sqlPool);
    });
    afterAll(async () => {
      await prisma?.$disconnect();
      await sqlPool?.end();
    });

    it('keeps interleaved SQL units of work (runSql) of A and B apart and clears the setting after them', async () => {
      const units = Array.from({ length: 40 }, (_, i) => {
        const store = i % 2 === 0 ? storeA : storeB;
        return sut.runSql(store.id, async (sql) => {
          await sql.query('SELECT pg_sleep($1::float8)', [(i % 5) / 1000]);
          const { rows } = await sut.sql().query<{ tenant_id: string }>('SELECT tenant_id FROM customers');
          if (i % 7 === 0) throw new Error('rolled back');
          return { store, rows };
        });
      });
      const settled = await Promise.allSettled(units);
      expect(settled.filter((s) => s.status === 'rejected')).toHaveLength(6);
      for (const s of settled) {
        if (s.status !== 'fulfilled') continue;
        expect(s.value.rows).toHaveLength(PER_STORE);
        expect(s.value.rows.every((r) => r.tenant_id === s.value.store.id)).toBe(true);
      }
      // Both pooled connections, reused without a unit of work: no setting, nothing visible.
      const after = await Promise.all(
        Array.from({ length: 4 }, async () => {
          const c = await sqlPool.connect();
          try {
            const r = await c.query<{ n: number; s: string | null }>(
              `SELECT count(*)::int AS n, current_setting('app.tenant_id', true) AS s FROM customers`,
            );
            return r.rows[0]!;
          } finally {
            c.release();
          }
        }),
      );
      for (const a of after) {
        expect(a.n).toBe(0);
        expect(a.s ?? '').toBe('');
      }
    });

    it('keeps interleaved units of work of A and B apart', async () => {
      const units = Array.from({ length: 40 }, async (_, i) => {
        const store = i % 2 === 0 ? storeA : storeB;
        const prefix = i % 2 === 0 ? 'A店-' : 'B店-';
        return sut.run(store.id, async (tx) => {
          await tx.$executeRaw`SELECT pg_sleep(${(i % 5) / 1000}::float8)`;
          const before = await tx.customer.findMany({ select: { nickname: true, tenantId: true } });
          await tx.$executeRaw`SELECT pg_sleep(0.002)`;
          const settings = await tx.$queryRaw<{ setting: string }[]>`
            SELECT current_setting('app.tenant_id', true) AS setting`;
          const setting = settings[0]!.setting;
          // Repositories reach the same transaction through the context, not the argument.
          const viaContext = await sut.db().customer.count();
          return { store, prefix, before, setting, viaContext };
        });
      });
      const results = await Promise.all(units);
      for (const r of results) {
        expect(r.setting).toBe(r.store.id);
        expect(r.viaContext).toBe(PER_STORE);
        expect(r.before).toHaveLength(PER_STORE);
        for (const row of r.before) {
          expect(row.tenantId).toBe(r.store.id);
          expect(row.nickname?.startsWith(r.prefix)).toBe(true);
        }
      }
    });

    it('leaves no tenant setting behind after a rolled-back unit of work', async () => {
      const failing = Array.from({ length: 4 }, (_, i) =>
        sut.run(i % 2 === 0 ? storeA.id : storeB.id, async (tx) => {
          expect(await tx.customer.count()).toBe(PER_STORE);
          throw new Error('boom');
        }),
      );
      const settled = await Promise.allSettled(failing);
      expect(settled.every((s) => s.status === 'rejected')).toBe(true);

      // Every connection of the pool (2) is used again without a context: nothing is visible.
      const after = await Promise.all(
        Array.from({ length: 6 }, () =>
          prisma.$transaction(async (tx) => {
            const rows = await tx.$queryRaw<{ setting: string | null; pid: number }[]>`
              SELECT current_setting('app.tenant_id', true) AS setting, pg_backend_pid() AS pid`;
            const { setting, pid } = rows[0]!;
            await tx.$executeRaw`SELECT pg_sleep(0.005)`;
            return { setting, pid, customers: await tx.customer.count() };
          }),
        ),
      );
      expect(new Set(after.map((a) => a.pid)).size).toBe(2);
      for (const a of after) {
        expect(a.setting ?? '').toBe('');
        expect(a.customers).toBe(0);
      }
      expect(await prisma.customer.count()).toBe(0);
    });
  });
});
