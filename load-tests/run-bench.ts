import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { AppKit, distModules, newSecrets, type BenchSecrets } from './lib/app-kit';
import { createBenchDatabase } from './lib/bench-database';
import { runPhase, type PhaseResult } from './lib/load-driver';
import { freePort, ServerProcess } from './lib/processes';
import { pickScenarios } from './lib/registry';
import { formatTable, judge, type ScenarioReport } from './lib/report';
import type { RequestSpec } from 'autocannon';
import type { Scenario } from './lib/scenario';

/**
 * `npm run bench [-- scenario...]`: for each scenario, a fresh migrated database, the production
 * API and the bare baseline as separate processes, load from this process (autocannon), then
 * load-tests/results/latest.json and a table. Everything started here is stopped at the end,
 * also on failure or Ctrl-C.
 */
const ROOT = join(__dirname, '..', '..');
const DIST = join(ROOT, 'dist');
const RESULTS = join(ROOT, 'load-tests', 'results', 'latest.json');

const PHASE = {
  warmupSec: Number(process.env.BENCH_WARMUP_SEC ?? 2),
  saturationSec: Number(process.env.BENCH_DURATION_SEC ?? 10),
  latencySec: Number(process.env.BENCH_DURATION_SEC ?? 10),
  saturationConnections: 100,
};
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
    const stateFile = join(tmpdir(), `massage-bench-${process.pid}-${s.name}.json`);
    writeFileSync(stateFile, JSON.stringify(state));
    cleanups.push(async () => rmSync(stateFile, { force: true }));

    const prefix = `bench_${process.pid}_${s.name}`;
    cleanups.push(() => dropRedisPrefix(redisUrl, prefix));
    const apiPort = await freePort();
    // BENCH_API_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", profiles the API under load.
    const nodeArgs = (process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean);
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
    log(
      s.name,
      `api pid ${api.pid} on :${api.port}${baseline ? `, baseline pid ${baseline.pid} on :${baseline.port}` : ''}`,
    );

    const requests = s.requests(state);
    for (const server of [api, baseline]) {
      if (server) await sanityCheck(s, state, server, requests[0]!);
    }

    const phase = (server: ServerProcess, connections: number, durationSec: number, overallRate?: number) =>
      runPhase({
        url: server.baseUrl,
        requests,
        connections,
        durationSec,
        expectedStatuses: s.expectedStatuses ?? [],
        ...(overallRate ? { overallRate } : {}),
      });

    log(s.name, 'warm-up');
    const apiPhases: PhaseResult[] = [await phase(api, 10, PHASE.warmupSec)];
    if (baseline) await phase(baseline, 10, PHASE.warmupSec);

    log(s.name, `saturation: ${PHASE.saturationConnections} connections, ${PHASE.saturationSec} s each`);
    const apiCpu0 = api.cpuSeconds();
    const sat = await phase(api, PHASE.saturationConnections, PHASE.saturationSec);
    const apiCpuMs = ((api.cpuSeconds() - apiCpu0) * 1000) / Math.max(sat.responses, 1);
    apiPhases.push(sat);
    const baseCpu0 = baseline?.cpuSeconds() ?? 0;
    const baseSat = baseline ? await phase(baseline, PHASE.saturationConnections, PHASE.saturationSec) : undefined;
    const baseCpuMs =
      baseline && baseSat ? ((baseline.cpuSeconds() - baseCpu0) * 1000) / Math.max(baseSat.responses, 1) : null;

    log(s.name, `latency: ${s.offeredRate} req/s offered for ${PHASE.latencySec} s`);
    const connections = Math.min(100, Math.max(10, Math.ceil(s.offeredRate / 20)));
    const fixed = await phase(api, connections, PHASE.latencySec, s.offeredRate);
    apiPhases.push(fixed);

    const rssMb = api.peakRssMb();
    if (api.outputBytes > 64 * 1024) {
      log(
        s.name,
        `the API wrote ${Math.round(api.outputBytes / 1024)} KB of logs under load; last lines:\n${api.tail()}`,
      );
    }
    const checks = s.verify ? await s.verify({ admin }, state) : [];
    const baselineRps = baseSat ? baseSat.rps : null;
    if (fixed.errors + sat.errors > 0) {
      log(s.name, `statuses: saturation ${JSON.stringify(sat.statuses)}, latency ${JSON.stringify(fixed.statuses)}`);
    }
    return judge(
      {
        rps: sat.rps,
        baseline_rps: baselineRps,
        ratio: baselineRps ? Math.round((sat.rps / baselineRps) * 100) / 100 : null,
        p50_ms: fixed.p50_ms,
        p99_ms: fixed.p99_ms,
        p95_ms: fixed.p95_ms,
        errors: apiPhases.reduce((n, p) => n + p.errors, 0),
        rss_mb: rssMb,
        offered_rps: s.offeredRate,
        cpu_ms_per_req: round2(apiCpuMs),
        baseline_cpu_ms_per_req: baseCpuMs === null ? null : round2(baseCpuMs),
      },
      s.targets,
      checks,
    );
  } finally {
    while (cleanups.length > mark) await cleanups.pop()!().catch((e: unknown) => console.error('cleanup failed:', e));
  }
}

/** One request by hand before the load, so a broken route fails loudly instead of measuring 404s. */
async function sanityCheck(s: Scenario, state: unknown, server: ServerProcess, req: RequestSpec): Promise<void> {
  const res = await fetch(`${server.baseUrl}${req.path ?? '/'}`, {
    method: req.method ?? 'GET',
    headers: req.headers ?? {},
    ...(req.body !== undefined ? { body: req.body } : {}),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON; the scenario's check decides
  }
  try {
    if (s.checkResponse) s.checkResponse(res.status, body, state);
    else if (res.status >= 300) throw new Error(`status ${res.status}`);
  } catch (e) {
    throw new Error(
      `${s.name}: the ${server.label} answered ${req.method ?? 'GET'} ${req.path} wrongly: ${(e as Error).message}\n` +
        `  status ${res.status}, body ${text.slice(0, 300)}`,
      { cause: e },
    );
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

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function log(scenario: string, msg: string): void {
  console.log(`[bench ${scenario}] ${msg}`);
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
