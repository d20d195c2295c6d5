import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inOneWrite } from '../src/platform/database/one-write';
import { createTestDatabase, type TestDatabase } from './support/test-database';

describe('inOneWrite', () => {
  let db: TestDatabase;
  let client: pg.Client;
  let writes = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    client = new pg.Client({ connectionString: db.adminUrl, pipeline: true } as pg.ClientConfig);
    await client.connect();
    // count what leaves the socket: one call per write, however many messages it carries
    const socket = (client as unknown as { connection: { stream: Record<string, (...a: unknown[]) => unknown> } })
      .connection.stream;
    for (const method of ['_write', '_writev'] as const) {
      const original = socket[method]!.bind(socket);
      socket[method] = (...args: unknown[]) => {
        writes++;
        return original(...args);
      };
    }
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  const three = () => [
    client.query('SELECT 1 AS n'),
    client.query({ text: 'SELECT $1::int AS n', values: [2] }),
    client.query('SELECT 3 AS n'),
  ];

  it('sends the queries issued inside it in one write, and they answer as usual', async () => {
    writes = 0;
    const results = await Promise.all(three());
    expect(writes).toBe(3);

    writes = 0;
    const batched = await Promise.all(inOneWrite(client, three));
    expect(writes).toBe(1);
    expect(batched.map((r) => r.rows[0].n)).toEqual([1, 2, 3]);
    expect(results.map((r) => r.rows[0].n)).toEqual([1, 2, 3]);
  });

  it('uncorks when the callback throws, so the connection keeps working', async () => {
    expect(() =>
      inOneWrite(client, () => {
        void client.query('SELECT 1');
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect((await client.query('SELECT 4 AS n')).rows[0].n).toBe(4);
  });
});
