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

  const appPool = new pg.Pool({ connectionString: opts.appDatabaseUrl, max: 2 });
  try {
    for (const t of tenants) {
      const store = await syncStore(appPool, t, crypto);
      log(`tenants: ${store.slug} ${store.result}${store.changes.length ? ` (${store.changes.join(', ')})` : ''}`);
      report.stores.push(store);
    }
  } finally {
    await appPool.end();
  }

  if (platform && platform.operators.length > 0) {
    const admin = new pg.Pool({ connectionString: opts.adminDatabaseUrl, max: 1 });
    const client = await admin.connect();
    try {
      await client.query('BEGIN');
      for (const o of platform.operators) {
        const password = resolvePassword(o, `platform.yaml: operator ${o.email}`);
        const result = await syncOperator(client, { email: o.email, name: o.name, password });
        const entry: AccountSync = { email: o.email, name: o.name, role: 'platform_operator', result };
        report.operators.push(platform.demo ? { ...entry, password } : entry);
        log(`tenants: platform operator ${o.email} ${result}`);
      }
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
      await admin.end();
    }
  }
  return report;
}
