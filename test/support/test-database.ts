import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { appDatabaseUrl } from '../../src/platform/database/app-database-url';
import { TEST_APP_PASSWORD } from './constants';

export interface TestDatabase {
  name: string;
  /** Superuser connection string to this database (fixtures that must bypass RLS, catalog checks). */
  adminUrl: string;
  /** The app role (massage_app): RLS applies. */
  appUrl: string;
  drop(): Promise<void>;
}

/** A private copy of the migrated template for one test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = inject('adminUrl');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('templateDb')}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const adminUrl = url.toString();
  return {
    name,
    adminUrl,
    appUrl: appDatabaseUrl(adminUrl, TEST_APP_PASSWORD),
    drop: async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      // No new connections; give closing pools a moment to leave, then force out any straggler.
      await c.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`);
      for (let i = 0; i < 20; i++) {
        const { rows } = await c.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
        if (rows[0].n === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
