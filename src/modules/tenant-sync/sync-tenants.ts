import pg from 'pg';
import { FieldCipher, LookupHasher } from '../../platform/crypto/field-cipher';
import { loadTenantFiles } from './load-tenant-files';
import { resolvePassword } from './resolve-password';
import { syncOperator } from './sync-accounts';
import type { AccountSync, SyncReport } from './sync-report';
import { syncStore } from './sync-store';

export interface SyncTenantsOptions {
  /** The app role (massage_app): stores, profiles and staff are written through RLS. */
  appDatabaseUrl: string;
  /** An administrative connection: only platform operators are written through it. */
  adminDatabaseUrl: string;
  /** The tenants/ folder. */
  dir: string;
  dataEncryptionKey: string;
  lookupHashKey: string;
  log?: (msg: string) => void;
  /** Demo files (literal passwords) are refused in production. Default: NODE_ENV === 'production'. */
  production?: boolean;
}

export class DemoInProductionError extends Error {}

/**
 * `npm run tenants:sync` and the dev launcher: validate every file first (all problems at once),
 * then upsert each store in its own transaction and the platform operators. Idempotent.
 */
export async function syncTenants(opts: SyncTenantsOptions): Promise<SyncReport> {
  const log = opts.log ?? (() => undefined);
  const production = opts.production ?? process.env.NODE_ENV === 'production';
  const { tenants, platform } = await loadTenantFiles(opts.dir);
  if (production) {
    const demo = [
      ...tenants.filter((t) => t.spec.demo).map((t) => t.file),
      ...(platform?.demo ? ['platform.yaml'] : []),
    ];
    if (demo.length > 0) {
      throw new DemoInProductionError(
        `refusing to sync demo files in production (their passwords are public): ${demo.join(', ')}`,
      );
    }
  }
  const crypto = { cipher: new FieldCipher(opts.dataEncryptionKey), hasher: new LookupHasher(opts.lookupHashKey) };
  const report: SyncReport = { stores: [], operators: [] };

  // Plain clients, not pools: one connection each is enough, and Client.end() resolves only once
  // the connection is closed, so callers may drop the database right after.
  const app = new pg.Client({ connectionString: opts.appDatabaseUrl });
  await app.connect();
  try {
    for (const t of tenants) {
      const store = await syncStore(app, t, crypto);
      log(`tenants: ${store.slug} ${store.result}${store.changes.length ? ` (${store.changes.join(', ')})` : ''}`);
      report.stores.push(store);
    }
  } finally {
    await app.end();
  }

  if (platform && platform.operators.length > 0) {
    const admin = new pg.Client({ connectionString: opts.adminDatabaseUrl });
    await admin.connect();
    try {
      await admin.query('BEGIN');
      // Two syncs at once must not both insert the same new operator (FOR UPDATE cannot lock a missing row).
      await admin.query(`SELECT pg_advisory_xact_lock(hashtext('tenants-sync:platform-operators'))`);
      for (const o of platform.operators) {
        const password = resolvePassword(o, `platform.yaml: operator ${o.email}`);
        const result = await syncOperator(admin, { email: o.email, name: o.name, password });
        const entry: AccountSync = { email: o.email, name: o.name, role: 'platform_operator', result };
        report.operators.push(platform.demo ? { ...entry, password } : entry);
        log(`tenants: platform operator ${o.email} ${result}`);
      }
      await admin.query('COMMIT');
    } catch (e) {
      await admin.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      await admin.end();
    }
  }
  return report;
}
