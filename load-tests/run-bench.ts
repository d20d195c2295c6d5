import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { AppKit, distModules, newSecrets, type BenchSecrets } from './lib/app-kit';
import { createBenchDatabase } from './lib/bench-database';
import { freePort, ServerProcess } from './lib/processes';
import { pickScenarios } from './lib/registry';
import { formatTable, judge, type ScenarioReport } from './lib/report';
import { driven, loadPhases, log, sanityCheck } from './lib/measure';
import type { Scenario } from './lib/scenario';

/**
 * `npm run bench [-- scenario...]`: for each scenario, a fresh migrated database, the production
 * API and the bare baseline as separate processes, load from this process (autocannon), then
 * load-tests/results/latest.json and a table. Everything started here is stopped at the end,
 * also on failure or Ctrl-C.
 */
const ROOT = join(__dirname, '..', '..');
const DIST = join(ROOT, 'dist');

/** The API runs with the production node flags of `npm run start:prod` (heap limits). */
const PROD_NODE_ARGS = ((): string => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  return (pkg.scripts['start:prod'] ?? '')
    .split(' ')
    .filter((a) => a.startsWith('--'))
    .join(' ');
})();
const RESULTS = join(ROOT, 'load-tests', 'results', 'latest.json');

const POOL_MAX = 10;

type Cleanup = () => Promise<unknown>;
const cleanups: Cleanup[] = [];

async function runCleanups(): Promise<void> {
  while (cleanups.length > 0) {
    const fn = cleanups.pop()!;
    await fn().catch((e: unknown) => console.error('cleanup failed:', e));
  }
}

async function runScenario(s: Scenario, kit: AppKit, secrets: BenchSecrets): Promise<ScenarioReport> {
  const serverAdminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const mark = cleanups.length;
  try {
    log(s.name, 'database: create + migrate');
    const db = await createBenchDatabase(serverAdminUrl, kit.migrator, process.env.APP_DB_PASSWORD);
    cleanups.push(() => db.drop());
    const admin = new pg.Pool({ connectionString: db.adminUrl, max: 4 });
    cleanups.push(() => admin.end());

    log(s.name, 'seed');
    const state = await s.seed({ admin, app: kit });
    // A live database has planner statistics (autovacuum keeps them); a fresh one has none yet.
    const analyze = async () => void (await admin.query('ANALYZE'));
    await analyze();
    const stateFile = join(tmpdir(), `massage-bench-${process.pid}-${s.name}.json`);
    writeFileSync(stateFile, JSON.stringify(state));
    cleanups.push(async () => rmSync(stateFile, { force: true }));

    const prefix = `bench_${process.pid}_${s.name}`;
    cleanups.push(() => dropRedisPrefix(redisUrl, prefix));
    const apiPort = await freePort();
    // BENCH_API_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", profiles the API under load.
    const nodeArgs = (process.env.BENCH_API_NODE_ARGS ?? PROD_NODE_ARGS).split(' ').filter(Boolean);
    const api = new ServerProcess('api', apiPort, process.execPath, [...nodeArgs, join(DIST, 'src', 'main.js')], {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(apiPort),
      APP_DATABASE_URL: db.appUrl,
      DB_POOL_MAX: String(POOL_MAX),
      REDIS_URL: redisUrl,
      REDIS_PREFIX: prefix,
      ...secrets,
      // Never used with RUN_WORKERS=false; production refuses to boot without a mail transport.
      SMTP_URL: 'smtp://127.0.0.1:2525',
      // The bench signs nobody in by SMS (tokens are minted by the seed), so the log provider is fine.
      SMS_PROVIDER: 'log',
      SMS_LOG_IN_PRODUCTION: 'true',
      LOG_LEVEL: 'warn',
      RUN_WORKERS: 'false',
      ...s.apiEnv,
    });
    cleanups.push(() => api.stop());
    let baseline: ServerProcess | undefined;
    if (s.baseline) {
      const basePort = await freePort();
      baseline = new ServerProcess(
        'baseline',
        basePort,
        process.execPath,
        [join(DIST, 'load-tests', 'baseline', 'server.js')],
        {
          NODE_ENV: 'production',
          BENCH_SCENARIO: s.name,
          BENCH_STATE_FILE: stateFile,
          APP_DATABASE_URL: db.appUrl,
          DB_POOL_MAX: String(POOL_MAX),
          JWT_SECRET: secrets.JWT_SECRET,
          PORT: String(basePort),
        },
      );
      cleanups.push(() => baseline!.stop());
    }
    await Promise.all([api.waitForHealth(), baseline?.waitForHealth()]);
    const rssIdleMb = api.rssMb();
    log(
      s.name,
      `api pid ${api.pid} on :${api.port}${baseline ? `, baseline pid ${baseline.pid} on :${baseline.port}` : ''}`,
    );

    const requests = s.requests(state);
    for (const server of [api, baseline]) {
      if (server && requests[0]) await sanityCheck(s, state, server, requests[0]);
    }
    const measured = s.drive
      ? await driven(s, state, api, admin)
      : await loadPhases(s, requests, api, baseline, s.expectedStatuses ?? [], analyze);

    const rssMb = api.peakRssMb();
    if (api.outputBytes > 64 * 1024) {
      log(
        s.name,
        `the API wrote ${Math.round(api.outputBytes / 1024)} KB of logs under load; last lines:\n${api.tail()}`,
      );
    }
    const checks = s.verify ? await s.verify({ admin }, state) : [];
    return judge({ ...measured, rss_mb: rssMb, rss_idle_mb: rssIdleMb, offered_rps: s.offeredRate }, s.targets, checks);
  } finally {
    while (cleanups.length > mark) await cleanups.pop()!().catch((e: unknown) => console.error('cleanup failed:', e));
  }
}

async function dropRedisPrefix(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

async function main(): Promise<void> {
  const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const scenarios = await pickScenarios(names);
  const secrets = newSecrets();
  const kit = new AppKit(distModules(DIST), secrets);
  const results: Record<string, ScenarioReport> = {};
  const started = Date.now();
  for (const s of scenarios) results[s.name] = await runScenario(s, kit, secrets);
  mkdirSync(join(RESULTS, '..'), { recursive: true });
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  console.log(
    `\n${formatTable(results)}\n\nwritten to load-tests/results/latest.json in ${Math.round((Date.now() - started) / 1000)} s`,
  );
  if (Object.values(results).some((r) => !r.pass)) process.exitCode = 1;
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    console.error(`\n${sig}: stopping everything the bench started`);
    void runCleanups().finally(() => process.exit(130));
  });
}

main()
  .catch(async (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    await runCleanups();
    process.exitCode = 1;
  })
  .finally(() => void runCleanups());
