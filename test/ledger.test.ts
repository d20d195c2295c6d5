import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Factory, type TestTenant } from './support/factories';
import { createTestDatabase, type TestDatabase } from './support/test-database';

/**
 * The journal's guarantees, proven as the app role (massage_app) on a raw connection — the same
 * privileges the application has, without its code in the way.
 */
describe('ledger: append-only, balanced at commit', () => {
  let db: TestDatabase;
  let f: Factory;
  let app: pg.Pool;
  let a: TestTenant;
  let b: TestTenant;

  beforeAll(async () => {
    db = await createTestDatabase();
    f = await Factory.create(db);
    app = new pg.Pool({ connectionString: db.appUrl, max: 2 });
    a = await f.newTenant();
    b = await f.newTenant();
  });
  afterAll(async () => {
    await app?.end();
    await f?.close();
    await db?.drop();
  });

  /** One transaction as the app role inside a tenant's context; returns the error, if any, of the commit. */
  async function asApp(tenantId: string, work: (c: pg.PoolClient) => Promise<void>): Promise<Error | null> {
    const c = await app.connect();
    try {
      await c.query('BEGIN');
      await c.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
      await work(c);
      await c.query('COMMIT');
      return null;
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      return e as Error;
    } finally {
      c.release();
    }
  }

  const insertTx = async (
    c: pg.PoolClient,
    tenantId: string,
    lines: [string, number][],
    reference: string | null = null,
  ) => {
    const id = randomUUID();
    await c.query(
      `INSERT INTO journal_transactions (tenant_id, id, kind, reference, memo) VALUES ($1, $2, 'correction', $3, 'test')`,
      [tenantId, id, reference],
    );
    for (const [i, [account, amount]] of lines.entries()) {
      await c.query(
        `INSERT INTO journal_entries (tenant_id, transaction_id, line_no, account, amount_fen) VALUES ($1, $2, $3, $4, $5)`,
        [tenantId, id, i + 1, account, amount],
      );
    }
    return id;
  };
  const count = async (tenantId: string) =>
    Number(
      (await f.query(`SELECT count(*) FROM journal_transactions WHERE tenant_id = $1`, [tenantId])).rows[0]!.count,
    );

  it('a balanced transaction commits', async () => {
    const err = await asApp(a.id, (c) =>
      insertTx(c, a.id, [
        ['store_revenue', -100],
        ['wallet_funding', 100],
      ]).then(() => undefined),
    );
    expect(err).toBeNull();
    expect(await count(a.id)).toBe(1);
  });

  it.each([
    [
      'lines that do not sum to zero',
      [
        ['store_revenue', -100],
        ['wallet_funding', 99],
      ],
    ],
    ['a single line', [['store_revenue', -100]]],
    ['no lines at all', []],
  ] as [string, [string, number][]][])('%s cannot commit', async (_n, lines) => {
    const before = await count(a.id);
    const err = await asApp(a.id, (c) => insertTx(c, a.id, lines).then(() => undefined));
    expect(err?.message).toMatch(/unbalanced/);
    expect(await count(a.id)).toBe(before);
  });

  it('a balanced transaction does not make an unbalanced one in the same commit acceptable', async () => {
    const before = await count(a.id);
    const err = await asApp(a.id, async (c) => {
      await insertTx(c, a.id, [
        ['store_revenue', -5],
        ['platform_fee', 5],
      ]);
      await insertTx(c, a.id, [
        ['store_revenue', -5],
        ['platform_fee', 4],
      ]);
    });
    expect(err?.message).toMatch(/unbalanced/);
    expect(await count(a.id)).toBe(before);
  });

  it('unknown accounts and zero amounts are refused', async () => {
    expect(
      (
        await asApp(a.id, (c) =>
          insertTx(c, a.id, [
            ['bank', -1],
            ['platform_fee', 1],
          ]).then(() => undefined),
        )
      )?.message,
    ).toMatch(/check constraint/);
    expect(
      (
        await asApp(a.id, (c) =>
          insertTx(c, a.id, [
            ['store_revenue', 0],
            ['platform_fee', 0],
          ]).then(() => undefined),
        )
      )?.message,
    ).toMatch(/check constraint/);
  });

  it('the same movement cannot be posted twice (kind + reference unique)', async () => {
    const ref = randomUUID();
    expect(
      await asApp(a.id, (c) =>
        insertTx(
          c,
          a.id,
          [
            ['store_revenue', -1],
            ['platform_fee', 1],
          ],
          ref,
        ).then(() => undefined),
      ),
    ).toBeNull();
    expect(
      (
        await asApp(a.id, (c) =>
          insertTx(
            c,
            a.id,
            [
              ['store_revenue', -1],
              ['platform_fee', 1],
            ],
            ref,
          ).then(() => undefined),
        )
      )?.message,
    ).toMatch(/duplicate key/);
  });

  it.each([
    ['UPDATE journal_entries SET amount_fen = amount_fen * 2'],
    ['DELETE FROM journal_entries'],
    ['UPDATE journal_transactions SET memo = $$x$$'],
    ['DELETE FROM journal_transactions'],
    ['TRUNCATE journal_entries'],
  ])('the app role cannot %s (no grant)', async (sql) => {
    const err = await asApp(a.id, (c) => c.query(sql).then(() => undefined));
    expect(err?.message).toMatch(/permission denied/);
  });

  it('not even the owner can change history (append-only trigger)', async () => {
    await expect(f.query(`UPDATE journal_entries SET amount_fen = 1 WHERE tenant_id = $1`, [a.id])).rejects.toThrow(
      /append-only/,
    );
    await expect(f.query(`DELETE FROM journal_transactions WHERE tenant_id = $1`, [a.id])).rejects.toThrow(
      /append-only/,
    );
  });

  it('RLS: a store sees and writes only its own journal', async () => {
    expect(
      await asApp(b.id, (c) =>
        insertTx(c, b.id, [
          ['store_revenue', -7],
          ['platform_fee', 7],
        ]).then(() => undefined),
      ),
    ).toBeNull();
    let seen = -1;
    await asApp(a.id, async (c) => {
      seen = (await c.query(`SELECT count(*)::int AS n FROM journal_entries WHERE tenant_id = $1`, [b.id])).rows[0].n;
    });
    expect(seen).toBe(0);
    const err = await asApp(a.id, (c) =>
      insertTx(c, b.id, [
        ['store_revenue', -7],
        ['platform_fee', 7],
      ]).then(() => undefined),
    );
    expect(err?.message).toMatch(/row-level security/);
  });
});
