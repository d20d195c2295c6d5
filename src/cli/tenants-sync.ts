// `npm run tenants:sync`: upsert the stores in tenants/ (and tenants/platform.yaml operators).
// DATABASE_URL: administrative connection (operators); APP_DATABASE_URL: the app role (stores),
// derived from DATABASE_URL + APP_DB_PASSWORD when unset. DATA_ENCRYPTION_KEY / LOOKUP_HASH_KEY
// must be the API's keys (store phones are encrypted with them). TENANTS_DIR overrides ./tenants.
import { resolve } from 'node:path';
import { appDatabaseUrl } from '../platform/database/app-database-url';
import { TenantFileError } from '../modules/tenant-sync/load-tenant-files';
import { DemoInProductionError, syncTenants } from '../modules/tenant-sync/sync-tenants';
import { formatSyncReport } from '../modules/tenant-sync/sync-report';

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is required`);
    process.exit(78);
  }
  return value;
}

async function main(): Promise<void> {
  const adminUrl = required('DATABASE_URL');
  const report = await syncTenants({
    adminDatabaseUrl: adminUrl,
    appDatabaseUrl: process.env.APP_DATABASE_URL ?? appDatabaseUrl(adminUrl, process.env.APP_DB_PASSWORD),
    dir: resolve(process.env.TENANTS_DIR ?? 'tenants'),
    dataEncryptionKey: required('DATA_ENCRYPTION_KEY'),
    lookupHashKey: required('LOOKUP_HASH_KEY'),
    production: process.env.NODE_ENV === 'production',
  });
  console.log(formatSyncReport(report, process.env.PUBLIC_URL));
}

main().catch((e: unknown) => {
  if (e instanceof TenantFileError || e instanceof DemoInProductionError) console.error(e.message);
  else console.error(e);
  process.exit(1);
});
