import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type pg from 'pg';
import type { Db, PrismaClient } from './prisma';
import { PRISMA, SQL_POOL } from './database.tokens';
import { bothInOneWrite } from './one-write';

interface Scope {
  readonly tenantId: string;
  /** Prisma transaction client (run), or … */
  readonly db?: Db;
  /** … a raw pg connection inside BEGIN (runSql). */
  readonly sql?: pg.PoolClient;
  readonly afterCommit: Array<() => Promise<unknown> | unknown>;
  /** Run in the transaction right before COMMIT, after the work returned (beforeCommit). */
  readonly beforeCommit: Array<() => Promise<unknown> | unknown>;
  /** Values that live and die with this unit of work (unitLocal). */
  readonly locals: Map<symbol, unknown>;
  /** The advisory lock the opening message of runSql took for the work, if asked to. */
  readonly advisoryLock?: bigint;
  /** The unit of work's closing statement (closingStatement), if one was set. */
  closing?: ClosingStatement;
}

interface ClosingStatement {
  readonly text: string;
  readonly params: readonly unknown[];
  readonly then: (rows: Record<string, unknown>[]) => void;
}

/** runSql options. */
export interface RunSqlOptions {
  /**
   * A transaction-level advisory lock (`pg_advisory_xact_lock(key)`) taken by the opening
   * message itself, so the work starts holding it without a round trip of its own.
   */
  advisoryLock?: bigint;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const statementNames = new Map<string, string>();
/** Texts built per call (a multi-row VALUES list per row count) must not grow the cache forever. */
const MAX_NAMED_STATEMENTS = 256;

/**
 * A stable prepared-statement name per SQL text (the texts are the code's own constants), or none
 * (an unnamed, re-planned statement) once MAX_NAMED_STATEMENTS texts have names.
 */
function statementName(text: string): string | undefined {
  let name = statementNames.get(text);
  if (!name && statementNames.size < MAX_NAMED_STATEMENTS) {
    name = `tc_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    statementNames.set(text, name);
  }
  return name;
}

/** Named, so each pooled connection parses and plans a hot statement once, not every time. */
function queryConfig(text: string, params: readonly unknown[]): pg.QueryConfig {
  const name = statementName(text);
  return name ? { name, text, values: [...params] } : { text, values: [...params] };
}

/** A signed 64-bit integer as SQL text: only digits and a leading '-' can come out. */
function int64Literal(key: bigint): string {
  if (typeof key !== 'bigint' || key < INT64_MIN || key > INT64_MAX) {
    throw new Error(`advisory lock key must be a signed 64-bit bigint: ${String(key)}`);
  }
  const text = key.toString();
  if (!/^-?\d{1,19}$/.test(text)) throw new Error(`advisory lock key renders as ${JSON.stringify(text)}`);
  return text;
}

/** Prisma (db()) was asked for inside a runSql unit of work. */
export class SqlOnlyUnitOfWorkError extends Error {
  constructor() {
    super('this unit of work is SQL-only (runSql): use sql()');
  }
}

export class MissingTenantContextError extends Error {
  constructor() {
    super('No tenant context: tenant data may only be touched inside TenantContext.run()');
  }
}

/**
 * The one way to touch tenant data. Opens an interactive transaction, sets `app.tenant_id`
 * transaction-locally (RLS reads it; it cannot leak to the next user of the pooled connection),
 * and keeps the transaction client in AsyncLocalStorage for repositories. HTTP requests and
 * BullMQ workers both go through here.
 */
@Injectable()
export class TenantContext {
  private readonly als = new AsyncLocalStorage<Scope>();
  private readonly logger = new Logger(TenantContext.name);

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(SQL_POOL) private readonly pool: pg.Pool,
  ) {}

  async run<T>(tenantId: string, work: (db: Db) => Promise<T>): Promise<T> {
    if (!UUID.test(tenantId)) throw new Error(`invalid tenant id: ${JSON.stringify(tenantId)}`);
    const current = this.als.getStore();
    if (current) {
      // Nested use joins the open unit of work; a different tenant inside it is a bug.
      if (current.tenantId !== tenantId) throw new Error('cannot switch tenant inside a tenant context');
      if (!current.db) throw new SqlOnlyUnitOfWorkError(); // a Prisma unit of work cannot join a runSql one
      return work(current.db);
    }
    const afterCommit: Scope['afterCommit'] = [];
    const result = await this.prisma.$transaction(async (db) => {
      await db.$executeRaw`SELECT set_config('app.tenant_id', ${tenantId}, true)`;
      const scope: Scope = { tenantId, db, afterCommit, beforeCommit: [], locals: new Map() };
      const value = await this.als.run(scope, () => this.workThenBeforeCommit(() => work(db)));
      // Prisma commits on its own: the closing statement is simply the transaction's last one.
      const closing = scope.closing;
      if (closing) closing.then(await db.$queryRawUnsafe<Record<string, unknown>[]>(closing.text, ...closing.params));
      return value;
    });
    await this.runAfterCommit(tenantId, afterCommit);
    return result;
  }

  /**
   * The same unit of work on a plain pg connection, for hot read paths where Prisma's interactive
   * transaction costs more than the query: `BEGIN`, the transaction-local tenant setting and the
   * work's first statements go in one round trip (and one write), RLS applies exactly as in run().
   * The work starts before BEGIN is answered: if the opening fails (a lost connection, a cancelled
   * lock wait), the work fails at its first statement, as if that statement had. Repositories
   * use sql() inside it. With `advisoryLock`, that same message also takes the lock
   * (holdsAdvisoryLock tells the work).
   */
  async runSql<T>(tenantId: string, work: (sql: pg.PoolClient) => Promise<T>, opts: RunSqlOptions = {}): Promise<T> {
    if (!UUID.test(tenantId)) throw new Error(`invalid tenant id: ${JSON.stringify(tenantId)}`);
    if (this.als.getStore()) throw new Error('runSql cannot be nested in another unit of work');
    const lock =
      opts.advisoryLock === undefined ? '' : `; SELECT pg_advisory_xact_lock(${int64Literal(opts.advisoryLock)})`;
    const afterCommit: Scope['afterCommit'] = [];
    const client = await this.pool.connect();
    const scope: Scope = {
      tenantId,
      sql: client,
      afterCommit,
      beforeCommit: [],
      locals: new Map(),
      advisoryLock: opts.advisoryLock,
    };
    let result: T;
    try {
      // The id is a validated uuid and the lock key a checked integer literal, so inlining them is
      // safe; a simple query may hold several statements. The work's first statements do not wait
      // for BEGIN's answer: the connection pipelines, so they go out behind it in the same write
      // and PostgreSQL runs them in order, inside the transaction and under the tenant setting. If
      // the opening message fails, the transaction is aborted and they fail too (RLS sees no
      // tenant either way); its error is the one reported.
      [, result] = await bothInOneWrite(
        client,
        () => client.query(`BEGIN; SELECT set_config('app.tenant_id', '${tenantId}', true)${lock}`),
        () => this.als.run(scope, () => this.workThenBeforeCommit(() => work(client))),
      );
      await this.commit(client, scope.closing);
    } catch (e) {
      const broken = await client.query('ROLLBACK').then(
        () => false,
        () => true,
      );
      client.release(broken);
      throw e;
    }
    client.release();
    await this.runAfterCommit(tenantId, afterCommit);
    return result;
  }

  /**
   * A single read in tenant context in ONE round trip, without a unit of work: the tenant setting
   * and the SELECT go in one simple-protocol message, which PostgreSQL runs as one implicit
   * transaction, so the transaction-local `app.tenant_id` (RLS) holds for the SELECT and ends with
   * it. The simple protocol takes no bind parameters: `$1…$n` in `select` are replaced by
   * `params`, which must all be uuids (validated here, so inlining them is safe). For hot paths
   * where most callers are answered by one look (a grab claim that has already lost); anything
   * that writes or needs a consistent series of reads belongs in run()/runSql().
   */
  async peekSql<R extends pg.QueryResultRow>(
    tenantId: string,
    select: string,
    params: readonly string[] = [],
  ): Promise<R[]> {
    if (!UUID.test(tenantId)) throw new Error(`invalid tenant id: ${JSON.stringify(tenantId)}`);
    if (this.als.getStore()) throw new Error('peekSql cannot be nested in a unit of work');
    if (!/^\s*(SELECT|WITH)\b/i.test(select) || select.includes(';')) {
      throw new Error('peekSql takes a single SELECT');
    }
    for (const p of params)
      if (!UUID.test(p)) throw new Error(`peekSql parameters must be uuids: ${JSON.stringify(p)}`);
    const text = select.replace(/\$(\d+)/g, (_, n: string) => {
      const value = params[Number(n) - 1];
      if (value === undefined) throw new Error(`peekSql: no value for $${n}`);
      return `'${value}'`;
    });
    const results = (await this.pool.query(
      `SELECT set_config('app.tenant_id', '${tenantId}', true); ${text}`,
    )) as unknown as Array<pg.QueryResult<R>>;
    return results[1]!.rows;
  }

  /**
   * COMMIT, with the closing statement (if any) pipelined in front of it: both go out in one write
   * (bothInOneWrite; the pool's connections are in pipeline mode) and PostgreSQL runs them back to
   * back, so no client round trip falls between the closing statement's locks and the commit that
   * frees them.
   * A closing statement that fails aborts the transaction, and its COMMIT then only rolls back.
   */
  private async commit(client: pg.PoolClient, closing: ClosingStatement | undefined): Promise<void> {
    if (!closing) {
      await client.query('COMMIT');
      return;
    }
    const [ran] = await bothInOneWrite(
      client,
      () => client.query<Record<string, unknown>>(queryConfig(closing.text, closing.params)),
      () => client.query('COMMIT'),
    );
    closing.then(ran.rows);
  }

  /** The work, then the before-commit hooks it registered (in order; a hook may add more). */
  private async workThenBeforeCommit<T>(work: () => Promise<T>): Promise<T> {
    const result = await work();
    const hooks = this.als.getStore()!.beforeCommit;
    for (let i = 0; i < hooks.length; i++) await hooks[i]!();
    return result;
  }

  private async runAfterCommit(tenantId: string, afterCommit: Scope['afterCommit']): Promise<void> {
    // Outside the transaction's async context, so hooks cannot touch the finished transaction.
    await this.als.exit(async () => {
      for (const hook of afterCommit) {
        try {
          await hook();
        } catch (e) {
          this.logger.error({ err: e, tenantId }, 'after-commit hook failed');
        }
      }
    });
  }

  /**
   * Runs `hook` once the current unit of work has committed (never if it rolls back), e.g. to
   * enqueue a job that must see the committed rows. Outside a unit of work it runs at once.
   */
  async afterCommit(hook: () => Promise<unknown> | unknown): Promise<void> {
    const scope = this.als.getStore();
    if (scope) scope.afterCommit.push(hook);
    else await hook();
  }

  /**
   * Runs `hook` at the end of the current unit of work, inside its transaction right before the
   * COMMIT (once the work has returned): what it writes commits or rolls back with the work, and
   * a hook that fails fails the unit of work. For work gathered along the way and written once
   * (see unitLocal). Returns false, registering nothing, outside a unit of work.
   */
  beforeCommit(hook: () => Promise<unknown> | unknown): boolean {
    const scope = this.als.getStore();
    if (!scope) return false;
    scope.beforeCommit.push(hook);
    return true;
  }

  /**
   * The current unit of work's value for `key`, made by `open` on its first use there; null
   * outside a unit of work. It lives and dies with that unit of work: a rolled-back or discarded
   * attempt (runSqlElseRun) takes it along, a nested run() shares the outer one's.
   */
  unitLocal<T>(key: symbol, open: () => T): T | null {
    const scope = this.als.getStore();
    if (!scope) return null;
    if (!scope.locals.has(key)) scope.locals.set(key, open());
    return scope.locals.get(key) as T;
  }

  /**
   * Makes `text` the last statement of the current unit of work, run after its before-commit hooks
   * and right before COMMIT; `then` gets its rows once it has run (before run()/runSql() return).
   * For a hot row that every transaction of a tenant must update and hold until commit (a
   * gap-free counter): on the plain-pg path the statement is pipelined with COMMIT, so that lock
   * is held for the time PostgreSQL needs to run the statement and commit, not for the client
   * round trips between. One per unit of work; outside one it is an error.
   */
  closingStatement(text: string, params: readonly unknown[], then: ClosingStatement['then']): void {
    const scope = this.als.getStore();
    if (!scope) throw new MissingTenantContextError();
    if (scope.closing) throw new Error('this unit of work already has a closing statement');
    scope.closing = { text, params, then };
  }

  /** Whether the current unit of work already holds this advisory lock (runSql's `advisoryLock`). */
  holdsAdvisoryLock(key: bigint): boolean {
    return this.als.getStore()?.advisoryLock === key;
  }

  /** The transaction client of the current unit of work. */
  db(): Db {
    const scope = this.als.getStore();
    if (!scope) throw new MissingTenantContextError();
    if (!scope.db) throw new SqlOnlyUnitOfWorkError();
    return scope.db;
  }

  /** The pg connection of the current runSql unit of work. */
  sql(): pg.PoolClient {
    const scope = this.als.getStore();
    if (!scope) throw new MissingTenantContextError();
    if (!scope.sql) throw new Error('this unit of work is a Prisma transaction (run): use db()');
    return scope.sql;
  }

  tenantId(): string {
    const scope = this.als.getStore();
    if (!scope) throw new MissingTenantContextError();
    return scope.tenantId;
  }

  hasContext(): boolean {
    return this.als.getStore() !== undefined;
  }

  /**
   * One raw, parameterised statement in the current unit of work, whichever kind it is: on the
   * plain-pg path (runSql) straight on its connection, inside run() through Prisma's transaction
   * client. Rows come back as pg or Prisma decode them (alias columns to the names you want).
   */
  async query<R extends object = Record<string, unknown>>(text: string, params: readonly unknown[] = []): Promise<R[]> {
    const scope = this.als.getStore();
    if (!scope) throw new MissingTenantContextError();
    if (scope.sql) {
      return (await scope.sql.query<R & pg.QueryResultRow>(queryConfig(text, params))).rows;
    }
    return scope.db!.$queryRawUnsafe<R[]>(text, ...params);
  }

  /**
   * Two independent steps of the current unit of work, the second started without waiting for the
   * first's answer. On the plain-pg path their first statements leave in one write and PostgreSQL
   * runs them in the order given, saving a round trip; in a Prisma transaction (one statement at
   * a time) they run one after the other. Neither may need the other's result. Both settle before
   * this returns; the first failure, in order, is thrown (after one fails, the statements behind it
   * fail too — the transaction is aborted — and the unit of work rolls back).
   */
  async together<A, B>(first: () => Promise<A>, second: () => Promise<B>): Promise<[A, B]> {
    const scope = this.als.getStore();
    if (!scope) throw new MissingTenantContextError();
    if (!scope.sql) return [await first(), await second()];
    return bothInOneWrite(scope.sql, first, second);
  }

  /**
   * For work that is usually plain SQL but may, in rarer cases, reach code that needs Prisma:
   * tries it in runSql(); if it asks for db(), that attempt rolls back (nothing committed, its
   * before- and after-commit hooks and unit-local values dropped) and the whole work runs again in
   * run(). The work must therefore be safe to start over — no side effects outside the database
   * except through afterCommit.
   */
  async runSqlElseRun<T>(tenantId: string, work: () => Promise<T>): Promise<T> {
    try {
      return await this.runSql(tenantId, () => work());
    } catch (e) {
      if (!(e instanceof SqlOnlyUnitOfWorkError)) throw e;
      return this.run(tenantId, () => work());
    }
  }

  /** True inside a runSql unit of work (repositories that serve both paths branch on it). */
  isSql(): boolean {
    return this.als.getStore()?.sql !== undefined;
  }
}
