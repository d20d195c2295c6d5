import pg from 'pg';
import type { MigratorModule } from './app-kit';

export interface BenchDatabase {
  name: string;
  /** Superuser URL of the bench database (migrations, seeding, post-run checks). */
  adminUrl: string;
  /** The app role (massage_app) on the bench database: RLS applies. */
  appUrl: string;
  drop(): Promise<void>;
}

/** A fresh database on the local server, migrated by the production build's migrator. */
export async function createBenchDatabase(
  serverAdminUrl: string,
  migrator: MigratorModule,
  appPassword: string | undefined,
): Promise<BenchDatabase> {
  const name = `massage_bench_${process.pid}_${Date.now().toString(36)}`;
  await onServer(serverAdminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const adminUrl = withDatabase(serverAdminUrl, name);
  const app = new URL(adminUrl);
  app.username = 'massage_app';
  app.password = appPassword ?? '';
  const db: BenchDatabase = {
    name,
    adminUrl,
    appUrl: app.toString(),
    drop: () => onServer(serverAdminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
  try {
    await migrator.migrate({ adminUrl, ...(appPassword ? { appPassword } : {}) });
  } catch (e) {
    await db.drop();
    throw e;
  }
  return db;
}

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

async function onServer(url: string, work: (c: pg.Client) => Promise<unknown>): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await work(c);
  } finally {
    await c.end();
  }
}
