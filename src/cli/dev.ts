// `npm start`: one command from a fresh clone to a running product. Embedded PostgreSQL when no
// DATABASE_URL, Redis found or started, migrations applied, demo stores synced from tenants/, the
// API and workers running in this process. Ctrl-C stops everything it started.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createApp } from '../app.factory';
import { ConfigError, loadConfig } from '../config/load-config';
import { appDatabaseUrl } from '../platform/database/app-database-url';
import { migrate } from '../platform/database/migrator';
import { syncTenants } from '../modules/tenant-sync/sync-tenants';
import { loadDevSecrets } from './dev/dev-secrets';
import { startDevPostgres } from './dev/dev-postgres';
import { NoRedisError, startDevRedis } from './dev/dev-redis';
import { portInUse } from './dev/free-port';
import { printBanner } from './dev/banner';

const ROOT = resolve(__dirname, '..', '..', '..');
const log = (m: string) => console.log(`[dev] ${m}`);

async function main(): Promise<void> {
  const dataDir = join(ROOT, '.data');
  mkdirSync(dataDir, { recursive: true });
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((e: unknown) => console.error(e));
  };
  let stopping = false;
  const onSignal = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping …`);
    void stopAll().then(() => process.exit(0));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    const port = Number(process.env.PORT ?? 3000);
    if (await portInUse(port)) throw new Error(`port ${port} is in use: set PORT to another port`);
    const secrets = loadDevSecrets(dataDir);
    const postgres = await startDevPostgres(dataDir, log);
    stops.push(postgres.stop);
    const applied = await migrate({ adminUrl: postgres.adminUrl, appPassword: secrets.APP_DB_PASSWORD });
    log(applied.length ? `migrations applied: ${applied.length}` : 'database schema is up to date');
    const redis = await startDevRedis(log);
    stops.push(redis.stop);

    const appUrl = process.env.APP_DATABASE_URL ?? appDatabaseUrl(postgres.adminUrl, secrets.APP_DB_PASSWORD);
    const report = await syncTenants({
      appDatabaseUrl: appUrl,
      adminDatabaseUrl: postgres.adminUrl,
      dir: join(ROOT, 'tenants'),
      dataEncryptionKey: secrets.DATA_ENCRYPTION_KEY,
      lookupHashKey: secrets.LOOKUP_HASH_KEY,
      log,
    });

    const config = loadConfig({
      NODE_ENV: 'development',
      PUBLIC_URL: `http://localhost:${port}`,
      ...process.env,
      PORT: String(port),
      APP_DATABASE_URL: appUrl,
      REDIS_URL: redis.url,
      JWT_SECRET: secrets.JWT_SECRET,
      DATA_ENCRYPTION_KEY: secrets.DATA_ENCRYPTION_KEY,
      LOOKUP_HASH_KEY: secrets.LOOKUP_HASH_KEY,
    });
    const app = await createApp(config);
    stops.push(() => app.close());
    await app.listen({ port: config.PORT, host: config.HOST });
    printBanner(config, report);
  } catch (e) {
    if (e instanceof ConfigError || e instanceof NoRedisError) console.error(e.message);
    else console.error(e);
    await stopAll();
    process.exit(1);
  }
}

void main();
