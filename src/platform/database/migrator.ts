import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { runner } from 'node-pg-migrate';

export const MIGRATIONS_DIR = join(__dirname, '..', '..', '..', '..', 'migrations');

export interface MigrateOptions {
  /** An administrative connection (superuser or equivalent): it creates roles and extensions. */
  adminUrl: string;
  /** Password for the app role; omit where auth is trust/peer (local development). */
  appPassword?: string;
  migrationsDir?: string;
  log?: (msg: string) => void;
}

/**
 * Applies migrations/bootstrap/roles.sql (idempotent: roles, extensions, schema grants) as the
 * administrator, then every pending numbered migration as massage_owner, so the owner owns the
 * objects and the app role owns nothing. node-pg-migrate takes an advisory lock, so concurrent
 * runs wait for each other.
 */
export async function migrate(opts: MigrateOptions): Promise<string[]> {
  const dir = opts.migrationsDir ?? resolveMigrationsDir();
  const client = new pg.Client({ connectionString: opts.adminUrl });
  await client.connect();
  try {
    await client.query(await readFile(join(dir, 'bootstrap', 'roles.sql'), 'utf8'));
    if (opts.appPassword) {
      const literal = client.escapeLiteral(opts.appPassword);
      await client.query(`ALTER ROLE massage_app PASSWORD ${literal}`);
    }
    await client.query('SET ROLE massage_owner');
    const applied = await runner({
      dbClient: client,
      dir,
      direction: 'up',
      migrationsTable: 'pgmigrations',
      count: Infinity,
      checkOrder: true,
      singleTransaction: true,
      log: opts.log ?? (() => undefined),
    });
    return applied.map((m) => m.name);
  } finally {
    await client.end();
  }
}

function resolveMigrationsDir(): string {
  // Works from src/ (tests, ts) and from dist/src/ (production build).
  const fromSrc = join(__dirname, '..', '..', '..', 'migrations');
  return __dirname.includes(`${join('dist', 'src')}`) ? MIGRATIONS_DIR : fromSrc;
}
