import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQL_POOL } from '../src/platform/database/database.tokens';
import { TenantContext } from '../src/platform/database/tenant-context';
import { createTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { Factory, type TestTenant } from './support/factories';
import { StatementRecorder } from './support/statement-recorder';

describe('TenantContext', () => {
  let db: TestDatabase;
  let t: TestApp;
  let f: Factory;
  let ctx: TenantContext;
  let a: TestTenant;
  let b: TestTenant;
  let observer: pg.Pool;

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await createTestApp(db, { RUN_WORKERS: 'false' });
    f = await Factory.create(db, t.app);
    ctx = t.app.get(TenantContext);
    [a, b] = [await f.newTenant(), await f.newTenant()];
    observer = new pg.Pool({ connectionString: db.adminUrl, max: 1 });
  });
  afterAll(async () => {
    await observer?.end();
    await f?.close();
    await t?.close();
    await db?.drop();
  });

  const countAudit = async (action: string) =>
    Number((await observer.query('SELECT count(*) FROM audit_events WHERE action = $1', [action])).rows[0].count);

  it('runs after-commit hooks only once the work is committed and visible to others', async () => {
    let seenByHook = -1;
    await ctx.run(a.id, async (tx) => {
      await tx.auditEvent.create({ data: { tenantId: a.id, actorType: 'system', action: 'ctx.commit' } });
      await ctx.afterCommit(async () => {
        seenByHook = await countAudit('ctx.commit');
      });
      expect(await countAudit('ctx.commit')).toBe(0); // not yet committed
    });
    expect(seenByHook).toBe(1);
  });

  it('drops after-commit hooks when the work rolls back', async () => {
    let ran = false;
    await expect(
      ctx.run(a.id, async (tx) => {
        await tx.auditEvent.create({ data: { tenantId: a.id, actorType: 'system', action: 'ctx.rollback' } });
        await ctx.afterCommit(() => {
          ran = true;
        });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(ran).toBe(false);
    expect(await countAudit('ctx.rollback')).toBe(0);
  });

  it('before-commit hooks run after the work, in its transaction, on every runner; a failing one rolls it all back', async () => {
    const audit = (action: string) =>
      ctx.query(`INSERT INTO audit_events (tenant_id, actor_type, action) VALUES ($1, 'system', $2)`, [
        ctx.tenantId(),
        action,
      ]);
    for (const [name, runner] of [
      ['run', (w: () => Promise<void>) => ctx.run(a.id, w)],
      ['runSql', (w: () => Promise<void>) => ctx.runSql(a.id, w)],
    ] as const) {
      const seen: string[] = [];
      await runner(async () => {
        ctx.beforeCommit(async () => {
          seen.push('hook');
          await audit(`ctx.before.${name}`);
          expect(await countAudit(`ctx.before.${name}`)).toBe(0); // not committed yet
          // a hook may register another, and after-commit work
          ctx.beforeCommit(() => seen.push('second hook'));
          await ctx.afterCommit(() => seen.push('after commit'));
        });
        seen.push('work');
      });
      expect(seen).toEqual(['work', 'hook', 'second hook', 'after commit']);
      expect(await countAudit(`ctx.before.${name}`)).toBe(1);

      let after = false;
      await expect(
        runner(async () => {
          await audit(`ctx.before.fail.${name}`);
          await ctx.afterCommit(() => (after = true));
          ctx.beforeCommit(() => Promise.reject(new Error('flush failed')));
        }),
      ).rejects.toThrow('flush failed');
      expect(after).toBe(false);
      expect(await countAudit(`ctx.before.fail.${name}`)).toBe(0);
    }
    // a nested run() shares the outer unit of work's hooks and unit-local values
    const key = Symbol('k');
    const order: string[] = [];
    await ctx.run(a.id, async () => {
      const outer = ctx.unitLocal(key, () => ['outer']);
      await ctx.run(a.id, async () => {
        expect(ctx.unitLocal(key, () => ['inner'])).toBe(outer);
        ctx.beforeCommit(() => order.push('inner hook'));
      });
      order.push('outer work');
    });
    expect(order).toEqual(['outer work', 'inner hook']);
    // no unit of work: nothing to hold them
    expect(ctx.beforeCommit(() => undefined)).toBe(false);
    expect(ctx.unitLocal(key, () => 1)).toBeNull();
  });

  it('a closing statement runs last, after the before-commit hooks, pipelined with COMMIT on plain pg; if it fails nothing commits', async () => {
    const audit = (action: string) =>
      ctx.query(`INSERT INTO audit_events (tenant_id, actor_type, action) VALUES ($1, 'system', $2)`, [
        ctx.tenantId(),
        action,
      ]);
    const closing = `INSERT INTO audit_events (tenant_id, actor_type, action)
                     SELECT $1::uuid, 'system', $2 || '.' || count(*) FROM audit_events WHERE action = $3
                     RETURNING action`;
    for (const [name, runner] of [
      ['run', (w: () => Promise<string[]>) => ctx.run(a.id, w)],
      ['runSql', (w: () => Promise<string[]>) => ctx.runSql(a.id, w)],
    ] as const) {
      const recorder = new StatementRecorder();
      recorder.install();
      let sent: string[] = [];
      let seen: string[] = [];
      try {
        ({ value: seen, sql: sent } = await recorder.measure(() =>
          runner(async () => {
            const steps: string[] = [];
            await audit(`ctx.close.${name}`);
            ctx.closingStatement(closing, [a.id, `ctx.closed.${name}`, `ctx.close.${name}`], (rows) =>
              steps.push(`closing saw ${String(rows[0]!.action)}`),
            );
            expect(() => ctx.closingStatement('SELECT 1', [], () => undefined)).toThrow(/already has a closing/);
            ctx.beforeCommit(async () => {
              steps.push('hook');
              await audit(`ctx.close.${name}`); // the closing statement sees what the hooks wrote
            });
            steps.push('work');
            return steps;
          }),
        ));
      } finally {
        recorder.restore();
      }
      // its rows reach `then` before the runner returns, after the work and its hooks
      expect(seen).toEqual(['work', 'hook', `closing saw ctx.closed.${name}.2`]);
      expect(await countAudit(`ctx.closed.${name}.2`)).toBe(1);
      if (name === 'runSql') expect(sent.at(-1)).toMatch(/^INSERT INTO audit_events[\s\S]* ⇢ COMMIT$/);

      // a closing statement that fails rolls the whole unit of work back; the runner rejects with its error
      let called = false;
      await expect(
        runner(async () => {
          await audit(`ctx.close.fail.${name}`);
          ctx.closingStatement('SELECT 1 / (count(*) - count(*)) AS x FROM audit_events', [], () => (called = true));
          return [];
        }),
      ).rejects.toThrow(/division by zero/);
      expect(called).toBe(false);
      expect(await countAudit(`ctx.close.fail.${name}`)).toBe(0);
    }
    // the pooled connections are fine afterwards (nothing left in flight or in a transaction)
    for (let i = 0; i < 12; i++) {
      expect(await ctx.runSql(a.id, () => ctx.query<{ n: number }>('SELECT $1::int AS n', [i]))).toEqual([{ n: i }]);
    }
    expect(() => ctx.closingStatement('SELECT 1', [], () => undefined)).toThrow(/No tenant context/);
  });

  it('runSql sends the work’s first statement behind BEGIN, without waiting for it, inside the transaction and the tenant setting', async () => {
    const recorder = new StatementRecorder();
    recorder.install();
    let seen: { tenant: string }[];
    let sent: string[];
    try {
      ({ value: seen, sql: sent } = await recorder.measure(() =>
        ctx.runSql(a.id, () =>
          ctx.query<{ tenant: string }>(`SELECT current_setting('app.tenant_id', true) AS tenant`),
        ),
      ));
    } finally {
      recorder.restore();
    }
    // the setting is transaction-local: seeing it means the statement ran inside the transaction
    expect(seen).toEqual([{ tenant: a.id }]);
    // one round trip for the opening message and the first statement, then COMMIT
    expect(sent).toHaveLength(2);
    expect(sent[0]).toMatch(/^BEGIN; SELECT set_config\('app\.tenant_id', '[^']+', true\) ⇢ SELECT current_setting/);
    expect(sent[1]).toBe('COMMIT');
  });

  it('together: two independent steps in one round trip on plain pg, one after the other in Prisma; the first failure wins and nothing commits', async () => {
    const audit = (action: string) =>
      ctx.query<{ action: string }>(
        `INSERT INTO audit_events (tenant_id, actor_type, action) VALUES ($1, 'system', $2) RETURNING action`,
        [ctx.tenantId(), action],
      );
    for (const [name, runner] of [
      ['run', <T>(w: () => Promise<T>) => ctx.run(a.id, w)],
      ['runSql', <T>(w: () => Promise<T>) => ctx.runSql(a.id, w)],
    ] as const) {
      const recorder = new StatementRecorder();
      recorder.install();
      let sent: string[] = [];
      let got: unknown;
      try {
        ({ value: got, sql: sent } = await recorder.measure(() =>
          runner(async () => {
            await audit(`ctx.together.warm.${name}`);
            return ctx.together(
              () => audit(`ctx.together.1.${name}`),
              () => audit(`ctx.together.2.${name}`),
            );
          }),
        ));
      } finally {
        recorder.restore();
      }
      expect(got).toEqual([[{ action: `ctx.together.1.${name}` }], [{ action: `ctx.together.2.${name}` }]]);
      const pair = sent.filter((q) => q.includes('INSERT INTO audit_events')).slice(1);
      if (name === 'runSql')
        expect(pair).toEqual([expect.stringMatching(/^INSERT INTO audit_events.* ⇢ INSERT INTO audit_events/s)]);
      else expect(pair).toHaveLength(2);

      // the first step fails: its error is thrown (on plain pg the second was already sent and failed in the aborted transaction)
      await expect(
        runner(() =>
          ctx.together(
            () => ctx.query('SELECT 1 / 0 AS x'),
            () => audit(`ctx.together.fail.${name}`),
          ),
        ),
      ).rejects.toThrow(/division by zero/);
      expect(await countAudit(`ctx.together.fail.${name}`)).toBe(0);
    }
    await expect(
      ctx.together(
        async () => 1,
        async () => 2,
      ),
    ).rejects.toThrow(/No tenant context/);
  });

  it('runSql: when its opening message fails, the statements sent behind it do not run on their own and its error is the one reported', async () => {
    const key = 987654321n;
    await observer.query(`SELECT pg_advisory_lock($1::bigint)`, [key.toString()]);
    const failure = ctx
      .runSql(
        a.id,
        () =>
          ctx.query(`INSERT INTO audit_events (tenant_id, actor_type, action) VALUES ($1, 'system', 'ctx.open.fail')`, [
            a.id,
          ]),
        { advisoryLock: key },
      )
      .then(
        () => new Error('committed'),
        (e: unknown) => e,
      );
    // the opening message waits for the lock with the INSERT queued behind it; cancel the wait
    let cancelled = false;
    for (let i = 0; i < 100 && !cancelled; i++) {
      const r = await observer.query(
        `SELECT pg_cancel_backend(pid) AS ok FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'BEGIN;%pg_advisory_xact_lock%'`,
      );
      cancelled = r.rows.some((row: { ok: boolean }) => row.ok);
      if (!cancelled) await new Promise((r) => setTimeout(r, 20));
    }
    expect(cancelled).toBe(true);
    expect(await failure).toMatchObject({ message: 'canceling statement due to user request' });
    await observer.query(`SELECT pg_advisory_unlock($1::bigint)`, [key.toString()]);
    expect(await countAudit('ctx.open.fail')).toBe(0);
    // the connection went back to the pool clean
    for (let i = 0; i < 12; i++) {
      expect(await ctx.runSql(a.id, () => ctx.query<{ n: number }>('SELECT $1::int AS n', [i]))).toEqual([{ n: i }]);
    }
  });

  it('runSqlElseRun drops the discarded attempt’s before-commit hooks and unit-local values', async () => {
    const key = Symbol('k');
    const hooks: string[] = [];
    let attempt = 0;
    await ctx.runSqlElseRun(a.id, async () => {
      attempt++;
      const local = ctx.unitLocal(key, () => [] as number[])!;
      local.push(attempt);
      ctx.beforeCommit(() => hooks.push(`attempt ${attempt}: ${local.join(',')}`));
      if (ctx.isSql()) ctx.db(); // asks for Prisma: this attempt is discarded
    });
    expect(hooks).toEqual(['attempt 2: 2']);
  });

  it('runSql takes an advisory lock in its opening message, held until the commit; keys are checked int64s', async () => {
    const key = -(2n ** 63n) + 12345n; // the most negative end of the range works too
    const tryLock = async () =>
      (await observer.query(`SELECT pg_try_advisory_lock($1::bigint) AS ok`, [key.toString()])).rows[0].ok as boolean;
    const recorder = new StatementRecorder();
    recorder.install();
    let held = false;
    let sent: string[];
    try {
      ({ sql: sent } = await recorder.measure(() =>
        ctx.runSql(
          a.id,
          async () => {
            expect(ctx.holdsAdvisoryLock(key)).toBe(true);
            expect(ctx.holdsAdvisoryLock(key + 1n)).toBe(false);
            held = !(await tryLock());
          },
          { advisoryLock: key },
        ),
      ));
    } finally {
      recorder.restore();
    }
    expect(held).toBe(true);
    expect(sent[0]).toBe(
      `BEGIN; SELECT set_config('app.tenant_id', '${a.id}', true); SELECT pg_advisory_xact_lock(${key})`,
    );
    // released with the transaction
    expect(await tryLock()).toBe(true);
    await observer.query(`SELECT pg_advisory_unlock($1::bigint)`, [key.toString()]);
    expect(ctx.holdsAdvisoryLock(key)).toBe(false);
    for (const bad of [2n ** 63n, -(2n ** 63n) - 1n, 42 as unknown as bigint, '1; DROP TABLE x' as unknown as bigint]) {
      await expect(ctx.runSql(a.id, async () => undefined, { advisoryLock: bad })).rejects.toThrow(/advisory lock key/);
    }
  });

  it('joins an open unit of work for the same store and refuses to switch stores inside it', async () => {
    await ctx.run(a.id, async (outer) => {
      await ctx.run(a.id, async (inner) => expect(inner).toBe(outer));
      await expect(ctx.run(b.id, async () => undefined)).rejects.toThrow(/switch tenant/);
    });
  });

  it('refuses a tenant id that is not a uuid and has no context outside run()', async () => {
    await expect(ctx.run("x' OR true --", async () => undefined)).rejects.toThrow(/invalid tenant id/);
    expect(ctx.hasContext()).toBe(false);
    expect(() => ctx.db()).toThrow(/No tenant context/);
  });
  it('peekSql: one round trip, RLS on the given store, nothing left set on the connection, uuid parameters only', async () => {
    await f.query(`INSERT INTO audit_events (tenant_id, actor_type, action) VALUES ($1, 'system', 'ctx.peek')`, [a.id]);
    const count = `SELECT count(*)::int AS n FROM audit_events WHERE action = 'ctx.peek' AND tenant_id = $1::uuid`;
    expect(await ctx.peekSql<{ n: number }>(a.id, count, [a.id])).toEqual([{ n: 1 }]);
    // RLS: another store sees none of a's rows, even when asking for them by id
    expect(await ctx.peekSql<{ n: number }>(b.id, count, [a.id])).toEqual([{ n: 0 }]);
    // the setting was transaction-local: the pooled connection carries no tenant afterwards
    const pool = t.app.get<pg.Pool>(SQL_POOL);
    const after = await pool.query(`SELECT coalesce(current_setting('app.tenant_id', true), '') AS t`);
    expect(after.rows[0].t).toBe('');
    await expect(ctx.peekSql(a.id, count, ["x' OR true --"])).rejects.toThrow('uuids');
    await expect(ctx.peekSql(a.id, `UPDATE audit_events SET action = 'x'`)).rejects.toThrow('single SELECT');
    await expect(ctx.peekSql(a.id, `SELECT 1; SELECT 2`)).rejects.toThrow('single SELECT');
    await expect(ctx.run(a.id, () => ctx.peekSql(a.id, 'SELECT 1'))).rejects.toThrow('nested');
  });

  it('plain-pg statements are planned once per connection (a generic plan), not on every execution', async () => {
    const text = `SELECT count(*)::int AS n FROM audit_events WHERE tenant_id = $1::uuid AND action = $2`;
    await ctx.runSql(a.id, async () => {
      for (let i = 0; i < 12; i++) await ctx.query(text, [a.id, `ctx.plan.${i}`]);
      const [plans] = await ctx.query<{ generic: number; custom: number }>(
        `SELECT generic_plans::int AS generic, custom_plans::int AS custom FROM pg_prepared_statements
          WHERE statement = $1`,
        [text],
      );
      // PostgreSQL's default (auto) plans the first five executions for their values
      expect(plans).toEqual({ generic: 12, custom: 0 });
    });
  });

  it('query() names each statement text once per connection, and stops naming past a bound (per-call texts)', async () => {
    await ctx.runSql(a.id, async () => {
      for (let i = 0; i < 300; i++) {
        expect(await ctx.query<{ n: number }>(`SELECT $1::int + ${i} AS n`, [1])).toEqual([{ n: 1 + i }]);
      }
      // a hot text is prepared once and reused, not re-prepared per call
      await ctx.query('SELECT $1::int AS n', [1]);
      await ctx.query('SELECT $1::int AS n', [2]);
      const [row] = await ctx.query<{ named: number }>(
        `SELECT count(*)::int AS named FROM pg_prepared_statements WHERE name LIKE 'tc\\_%'`,
      );
      expect(row!.named).toBeGreaterThan(0);
      expect(row!.named).toBeLessThanOrEqual(256);
    });
  });
});
