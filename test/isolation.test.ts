import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { TENANT_TABLE_SEEDS } from './support/tenant-table-seeds';

/**
 * The tenancy wall, proven against the database itself as the app role (massage_app). Tenant
 * tables are discovered from the catalog (every table in `public` with a `tenant_id` column), so a
 * table added by a later migration is covered without editing this file: it only needs a seed in
 * test/support/tenant-table-seeds.ts.
 */

const APP_ROLE = 'massage_app';

/**
 * Platform tables that carry a `tenant_id` without being owned by a tenant. Keep this list short
 * and justified: everything else with a `tenant_id` column must pass every check below.
 */
const NOT_TENANT_TABLES: Record<string, string> = {
  tenant_applications: 'a franchise sign-up exists before its store; tenant_id (nullable) is the store it became',
};
const AUDIT_TABLES = ['audit_events', 'platform_audit_events'];

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

interface TenantTable {
  name: string;
  /** Primary-key columns with their types, in key order. */
  pk: { column: string; type: string }[];
  /** Columns an INSERT may name (not generated, not identity ALWAYS). */
  insertable: string[];
}

interface PgError {
  code?: string;
  message: string;
}

describe('tenancy wall (isolation suite, as the app role)', () => {
  let db: TestDatabase;
  let admin: pg.Pool;
  let app: pg.Pool;
  const tables: TenantTable[] = [];
  const tenantA = { id: '', slug: `iso-a-${randomUUID().slice(0, 6)}` };
  const tenantB = { id: '', slug: `iso-b-${randomUUID().slice(0, 6)}` };
  const seedProblems: string[] = [];
  /** One of B's rows per table, captured right after seeding (before any test could touch B). */
  const sampleOfB = new Map<string, Record<string, unknown>>();

  /** Runs `work` in one transaction of the app role with `app.tenant_id` set, then commits. */
  async function asTenant<T>(tenantId: string, work: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const c = await app.connect();
    try {
      await c.query('BEGIN');
      await c.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
      const out = await work(c);
      await c.query('COMMIT');
      return out;
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      c.release();
    }
  }

  /** The statement's error, or null; a savepoint keeps the surrounding transaction usable. */
  async function attempt(c: pg.PoolClient, sql: string, params: unknown[] = []) {
    await c.query('SAVEPOINT attempt');
    try {
      const res = await c.query(sql, params);
      await c.query('RELEASE SAVEPOINT attempt');
      return { res, err: null as PgError | null };
    } catch (e) {
      await c.query('ROLLBACK TO SAVEPOINT attempt');
      return { res: null, err: e as PgError };
    }
  }

  /** Fingerprint of one tenant's rows, read by the administrator (RLS does not apply). */
  async function fingerprint(table: string, tenantId: string): Promise<{ count: number; hash: string | null }> {
    const { rows } = await admin.query<{ count: string; hash: string | null }>(
      `SELECT count(*) AS count, md5(string_agg(t::text, '|' ORDER BY t::text)) AS hash
         FROM ${ident(table)} t WHERE tenant_id = $1`,
      [tenantId],
    );
    return { count: Number(rows[0]!.count), hash: rows[0]!.hash };
  }

  async function appCan(table: string, privilege: 'INSERT' | 'UPDATE' | 'DELETE'): Promise<boolean> {
    const { rows } = await admin.query<{ ok: boolean }>(
      `SELECT has_table_privilege($1, $2, $3) OR has_any_column_privilege($1, $2, $3) AS ok`,
      [APP_ROLE, `public.${ident(table)}`, privilege],
    );
    return rows[0]!.ok;
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    admin = new pg.Pool({ connectionString: db.adminUrl, max: 2 });
    app = new pg.Pool({ connectionString: db.appUrl, max: 2 });

    const { rows: found } = await admin.query<{ name: string }>(
      `SELECT c.relname AS name
         FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
        ORDER BY c.relname`,
    );
    for (const { name } of found.filter((f) => !(f.name in NOT_TENANT_TABLES))) {
      const { rows: pk } = await admin.query<{ column: string; type: string }>(
        `SELECT a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type
           FROM pg_constraint k
           CROSS JOIN LATERAL unnest(k.conkey) WITH ORDINALITY AS u(attnum, ord)
           JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum
          WHERE k.conrelid = $1::regclass AND k.contype = 'p'
          ORDER BY u.ord`,
        [`public.${ident(name)}`],
      );
      const { rows: cols } = await admin.query<{ column: string }>(
        `SELECT attname AS column FROM pg_attribute
          WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped
            AND attgenerated = '' AND attidentity <> 'a'
          ORDER BY attnum`,
        [`public.${ident(name)}`],
      );
      tables.push({ name, pk, insertable: cols.map((c) => c.column) });
    }

    for (const t of [tenantA, tenantB]) {
      const { rows } = await admin.query<{ id: string }>(
        `INSERT INTO tenants (slug, name, status, city, display_name) VALUES ($1, $1, 'active', '上海', $1) RETURNING id`,
        [t.slug],
      );
      t.id = rows[0]!.id;
    }
    for (const t of tables) {
      const seed = TENANT_TABLE_SEEDS[t.name];
      if (!seed) {
        seedProblems.push(`add a seed for table ${t.name} in test/support/tenant-table-seeds.ts`);
        continue;
      }
      for (const tenant of [tenantA, tenantB]) {
        try {
          await seed(admin, tenant.id);
        } catch (e) {
          seedProblems.push(`the seed for table ${t.name} failed: ${(e as Error).message}`);
        }
      }
    }
    for (const t of tables) {
      const { rows: sample } = await admin.query<{ row: Record<string, unknown> }>(
        `SELECT row_to_json(t) AS row FROM ${ident(t.name)} t WHERE tenant_id = $1 LIMIT 1`,
        [tenantB.id],
      );
      if (sample[0]) sampleOfB.set(t.name, sample[0].row);
      for (const tenant of [tenantA, tenantB]) {
        if ((await fingerprint(t.name, tenant.id)).count === 0 && TENANT_TABLE_SEEDS[t.name]) {
          seedProblems.push(
            `the seed for table ${t.name} in test/support/tenant-table-seeds.ts inserted no row for its tenant`,
          );
        }
      }
    }
  });

  afterAll(async () => {
    await app?.end();
    await admin?.end();
    await db?.drop();
  });

  it('discovers the tenant tables and has a seed row in each for both stores', () => {
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(Object.keys(TENANT_TABLE_SEEDS)));
    expect(seedProblems, seedProblems.join('\n')).toEqual([]);
  });

  describe('catalog', () => {
    it('the app role is not superuser, cannot bypass RLS and owns nothing', async () => {
      const { rows: role } = await admin.query(
        `SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = $1`,
        [APP_ROLE],
      );
      expect(role).toEqual([{ rolsuper: false, rolbypassrls: false, rolcreaterole: false, rolcreatedb: false }]);
      const { rows: owned } = await admin.query<{ kind: string; name: string }>(
        `SELECT 'relation' AS kind, c.oid::regclass::text AS name FROM pg_class c
           JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = $1
         UNION ALL
         SELECT 'function', p.oid::regprocedure::text FROM pg_proc p
           JOIN pg_roles r ON r.oid = p.proowner WHERE r.rolname = $1
         UNION ALL
         SELECT 'schema', n.nspname::text FROM pg_namespace n
           JOIN pg_roles r ON r.oid = n.nspowner WHERE r.rolname = $1
         UNION ALL
         SELECT 'type', t.oid::regtype::text FROM pg_type t
           JOIN pg_roles r ON r.oid = t.typowner WHERE r.rolname = $1
         UNION ALL
         SELECT 'database', d.datname::text FROM pg_database d
           JOIN pg_roles r ON r.oid = d.datdba WHERE r.rolname = $1`,
        [APP_ROLE],
      );
      expect(owned, `${APP_ROLE} must own nothing`).toEqual([]);
    });

    it('every tenant table has RLS enabled and forced, a policy, and tenant_id leading its primary key', async () => {
      const problems: string[] = [];
      for (const t of tables) {
        const { rows } = await admin.query<{ rls: boolean; force: boolean; policies: number }>(
          `SELECT c.relrowsecurity AS rls, c.relforcerowsecurity AS force,
                  (SELECT count(*)::int FROM pg_policy p WHERE p.polrelid = c.oid) AS policies
             FROM pg_class c WHERE c.oid = $1::regclass`,
          [`public.${ident(t.name)}`],
        );
        const r = rows[0]!;
        if (!r.rls) problems.push(`${t.name}: ROW LEVEL SECURITY is not enabled`);
        if (!r.force) problems.push(`${t.name}: ROW LEVEL SECURITY is not forced (FORCE ROW LEVEL SECURITY)`);
        if (r.policies === 0) problems.push(`${t.name}: has no policy`);
        if (t.pk.length === 0) problems.push(`${t.name}: has no primary key`);
        else if (t.pk[0]!.column !== 'tenant_id') {
          problems.push(
            `${t.name}: primary key (${t.pk.map((c) => c.column).join(', ')}) does not start with tenant_id`,
          );
        }
      }
      expect(problems, problems.join('\n')).toEqual([]);
    });

    it('every foreign key between tenant tables includes tenant_id on both sides', async () => {
      const names = tables.map((t) => t.name);
      const { rows } = await admin.query<{ name: string; src: string; dst: string; pairs: string[] }>(
        `SELECT k.conname AS name, k.conrelid::regclass::text AS src, k.confrelid::regclass::text AS dst,
                array_agg(sa.attname || '->' || da.attname ORDER BY u.ord) AS pairs
           FROM pg_constraint k
           CROSS JOIN LATERAL unnest(k.conkey, k.confkey) WITH ORDINALITY AS u(src_att, dst_att, ord)
           JOIN pg_attribute sa ON sa.attrelid = k.conrelid AND sa.attnum = u.src_att
           JOIN pg_attribute da ON da.attrelid = k.confrelid AND da.attnum = u.dst_att
          WHERE k.contype = 'f'
          GROUP BY k.oid, k.conname, k.conrelid, k.confrelid`,
      );
      const between = rows.filter((r) => names.includes(r.src) && names.includes(r.dst));
      expect(between.length, 'expected composite foreign keys between tenant tables').toBeGreaterThan(0);
      const bad = between
        .filter((r) => !r.pairs.includes('tenant_id->tenant_id'))
        .map((r) => `${r.src}.${r.name} -> ${r.dst} (${r.pairs.join(', ')}) does not carry tenant_id`);
      expect(bad, bad.join('\n')).toEqual([]);
    });

    it('the app role cannot update, delete or truncate audit tables', async () => {
      for (const table of AUDIT_TABLES) {
        for (const privilege of ['UPDATE', 'DELETE', 'TRUNCATE']) {
          const { rows } = await admin.query<{ ok: boolean }>(
            `SELECT has_table_privilege($1, $2, $3) OR
                    ($3 = 'UPDATE' AND has_any_column_privilege($1, $2, 'UPDATE')) AS ok`,
            [APP_ROLE, `public.${table}`, privilege],
          );
          expect(rows[0]!.ok, `${APP_ROLE} has ${privilege} on ${table}`).toBe(false);
        }
      }
      await admin.query(`INSERT INTO platform_audit_events (actor_type, action) VALUES ('system', 'isolation.test')`);
      const before = await admin.query(`SELECT count(*)::int AS n FROM platform_audit_events`);
      await asTenant(tenantA.id, async (c) => {
        for (const sql of [
          `UPDATE audit_events SET action = 'tampered'`,
          `DELETE FROM audit_events`,
          `UPDATE platform_audit_events SET action = 'tampered'`,
          `DELETE FROM platform_audit_events`,
          `TRUNCATE audit_events`,
        ]) {
          const { err } = await attempt(c, sql);
          expect(err?.code, `${sql} should be refused`).toBe('42501');
        }
      });
      const after = await admin.query(`SELECT count(*)::int AS n FROM platform_audit_events`);
      expect(after.rows).toEqual(before.rows);
      const tampered = await admin.query(`SELECT 1 FROM audit_events WHERE action = 'tampered'`);
      expect(tampered.rowCount).toBe(0);
    });
  });

  describe('rows', () => {
    it("in A's context only A's rows are visible", async () => {
      const problems: string[] = [];
      for (const t of tables) {
        const own = await fingerprint(t.name, tenantA.id);
        const seen = await asTenant(tenantA.id, async (c) => {
          const { rows } = await c.query<{ tenant_id: string; n: number }>(
            `SELECT tenant_id, count(*)::int AS n FROM ${ident(t.name)} GROUP BY tenant_id`,
          );
          const direct = await c.query(`SELECT 1 FROM ${ident(t.name)} WHERE tenant_id = $1`, [tenantB.id]);
          return { rows, direct: direct.rowCount };
        }).catch((e: Error) => {
          problems.push(`${t.name}: the app role cannot read it: ${e.message}`);
          return null;
        });
        if (!seen) continue;
        if (seen.direct !== 0) problems.push(`${t.name}: A sees ${seen.direct} of B's rows by tenant_id`);
        const expected = own.count > 0 ? [{ tenant_id: tenantA.id, n: own.count }] : [];
        if (JSON.stringify(seen.rows) !== JSON.stringify(expected)) {
          problems.push(`${t.name}: A sees ${JSON.stringify(seen.rows)}, expected ${JSON.stringify(expected)}`);
        }
      }
      expect(problems, problems.join('\n')).toEqual([]);
    });

    it("in A's context B's rows cannot be updated", async () => {
      const problems: string[] = [];
      for (const t of tables) {
        if (!(await appCan(t.name, 'UPDATE'))) continue; // no privilege at all: nothing to leak
        const { rows: cols } = await admin.query<{ column: string }>(
          `SELECT attname AS column FROM pg_attribute
            WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped
              AND has_column_privilege($2, attrelid, attnum, 'UPDATE')
            ORDER BY attnum LIMIT 1`,
          [`public.${ident(t.name)}`, APP_ROLE],
        );
        const col = ident(cols[0]!.column);
        const before = await fingerprint(t.name, tenantB.id);
        await asTenant(tenantA.id, async (c) => {
          const targeted = await attempt(c, `UPDATE ${ident(t.name)} SET ${col} = ${col} WHERE tenant_id = $1`, [
            tenantB.id,
          ]);
          if (targeted.res && targeted.res.rowCount !== 0) {
            problems.push(`${t.name}: UPDATE of B's rows affected ${targeted.res.rowCount} rows`);
          }
          const everything = await attempt(c, `UPDATE ${ident(t.name)} SET ${col} = ${col} RETURNING tenant_id`);
          const foreign = everything.res?.rows.filter((r: { tenant_id: string }) => r.tenant_id !== tenantA.id);
          if (foreign?.length) problems.push(`${t.name}: an unfiltered UPDATE reached ${foreign.length} foreign rows`);
          const moved = await attempt(c, `UPDATE ${ident(t.name)} SET tenant_id = $1`, [tenantB.id]);
          if (moved.res && moved.res.rowCount !== 0) {
            problems.push(`${t.name}: A moved ${moved.res.rowCount} of its rows to B`);
          }
        });
        const after = await fingerprint(t.name, tenantB.id);
        if (after.hash !== before.hash || after.count !== before.count) problems.push(`${t.name}: B's rows changed`);
      }
      expect(problems, problems.join('\n')).toEqual([]);
    });

    it("in A's context B's rows cannot be deleted", async () => {
      const problems: string[] = [];
      for (const t of tables) {
        const before = await fingerprint(t.name, tenantB.id);
        await asTenant(tenantA.id, async (c) => {
          const { res, err } = await attempt(c, `DELETE FROM ${ident(t.name)} WHERE tenant_id = $1`, [tenantB.id]);
          if (res && res.rowCount !== 0) problems.push(`${t.name}: DELETE of B's rows affected ${res.rowCount}`);
          if (err && err.code !== '42501') problems.push(`${t.name}: DELETE failed unexpectedly: ${err.message}`);
        });
        const after = await fingerprint(t.name, tenantB.id);
        if (after.hash !== before.hash || after.count !== before.count) problems.push(`${t.name}: B's rows changed`);
      }
      expect(problems, problems.join('\n')).toEqual([]);
    });

    it("in A's context a row carrying B's tenant_id cannot be inserted (RLS violation)", async () => {
      const problems: string[] = [];
      for (const t of tables) {
        const sample = sampleOfB.get(t.name);
        if (!sample) continue; // reported by the seed check
        const copy = { ...sample };
        for (const { column, type } of t.pk) {
          if (column === 'tenant_id') continue;
          if (type === 'uuid') copy[column] = randomUUID();
          else if (/int|numeric/.test(type)) copy[column] = Number(copy[column]) + 1_000_000;
          else if (type === 'date') copy[column] = '1901-01-01';
          else copy[column] = `${String(copy[column])}-copy`;
        }
        const cols = t.insertable.map(ident).join(', ');
        const before = await fingerprint(t.name, tenantB.id);
        const canInsert = await appCan(t.name, 'INSERT');
        await asTenant(tenantA.id, async (c) => {
          const { err } = await attempt(
            c,
            `INSERT INTO ${ident(t.name)} (${cols})
             SELECT ${cols} FROM json_populate_record(NULL::${ident(t.name)}, $1::json)`,
            [JSON.stringify(copy)],
          );
          if (!err) problems.push(`${t.name}: A inserted a row with B's tenant_id`);
          else if (err.code !== '42501') problems.push(`${t.name}: insert failed, but not by RLS: ${err.message}`);
          else if (canInsert && !/row-level security/.test(err.message)) {
            problems.push(`${t.name}: expected an RLS violation, got: ${err.message}`);
          }
        });
        const after = await fingerprint(t.name, tenantB.id);
        if (after.count !== before.count) problems.push(`${t.name}: B's row count changed`);
      }
      expect(problems, problems.join('\n')).toEqual([]);
    });

    it('with no tenant context nothing is visible, also on a connection that had one', async () => {
      const problems: string[] = [];
      const c = await app.connect();
      try {
        for (const t of tables) {
          const fresh = await c.query(`SELECT count(*)::int AS n FROM ${ident(t.name)}`);
          if (fresh.rows[0].n !== 0) problems.push(`${t.name}: ${fresh.rows[0].n} rows visible without context`);
          await c.query('BEGIN');
          await c.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantA.id]);
          await c.query(`SELECT count(*) FROM ${ident(t.name)}`);
          await c.query('COMMIT');
          const reused = await c.query(`SELECT count(*)::int AS n FROM ${ident(t.name)}`);
          if (reused.rows[0].n !== 0) {
            problems.push(`${t.name}: ${reused.rows[0].n} rows visible after a tenant transaction ended`);
          }
        }
      } finally {
        c.release();
      }
      expect(problems, problems.join('\n')).toEqual([]);
    });
  });
});
