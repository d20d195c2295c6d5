import type { RequestSpec } from 'autocannon';
import type pg from 'pg';
import { runArrivalPhase } from './arrival-driver';
import { runPhase, type PhaseResult } from './load-driver';
import type { ServerProcess } from './processes';
import type { Measured } from './report';
import type { Scenario } from './scenario';

/** Phase lengths; BENCH_DURATION_SEC / BENCH_WARMUP_SEC shorten them for a smoke run. */
export const PHASE = {
  warmupSec: Number(process.env.BENCH_WARMUP_SEC ?? 2),
  saturationSec: Number(process.env.BENCH_DURATION_SEC ?? 10),
  latencySec: Number(process.env.BENCH_DURATION_SEC ?? 10),
  /** Unrecorded seconds at the offered rate right before the latency window (steady state). */
  leadInSec: Number(process.env.BENCH_LEAD_IN_SEC ?? 2),
  saturationConnections: 100,
};
export type LoadFigures = Omit<Measured, 'rss_mb' | 'rss_idle_mb' | 'offered_rps'>;

/** Warm-up, saturation (API then baseline), then the API at the fixed offered rate. */
export async function loadPhases(
  s: Scenario,
  requests: RequestSpec[],
  api: ServerProcess,
  baseline: ServerProcess | undefined,
  expectedStatuses: readonly number[],
  analyze: () => Promise<void>,
): Promise<LoadFigures> {
  const phase = (server: ServerProcess, connections: number, durationSec: number) =>
    runPhase({ url: server.baseUrl, requests, connections, durationSec, expectedStatuses });
  const fixedRate = (server: ServerProcess) =>
    runArrivalPhase({
      url: server.baseUrl,
      requests,
      iterationsPerSec: s.offeredRate / Math.max(1, requests.length),
      durationSec: PHASE.latencySec,
      leadInSec: PHASE.leadInSec,
      connections: Math.min(100, Math.max(10, Math.ceil(s.offeredRate / 10))),
      expectedStatuses,
    });

  log(s.name, 'warm-up');
  const apiPhases: PhaseResult[] = [await phase(api, 10, PHASE.warmupSec)];
  if (baseline) await phase(baseline, 10, PHASE.warmupSec);
  // The tables the scenario writes went from empty to a few hundred rows in the warm-up. A live
  // store's tables have statistics for what they hold (autovacuum analyzes every 50 rows + 10 %
  // changed, once a minute); this brand-new database would reach that a minute into the run, and
  // until then the prepared statements' generic plans are chosen on tables the planner believes
  // empty, where every tenant-leading index ties with the primary key (see README).
  await analyze();

  log(s.name, `saturation: ${PHASE.saturationConnections} connections, ${PHASE.saturationSec} s each`);
  const apiCpu0 = api.cpuSeconds();
  const sat = await phase(api, PHASE.saturationConnections, PHASE.saturationSec);
  const apiCpuMs = ((api.cpuSeconds() - apiCpu0) * 1000) / Math.max(sat.responses, 1);
  await api.settle();
  apiPhases.push(sat);
  const baseCpu0 = baseline?.cpuSeconds() ?? 0;
  const baseSat = baseline ? await phase(baseline, PHASE.saturationConnections, PHASE.saturationSec) : undefined;
  const baseCpuMs =
    baseline && baseSat ? ((baseline.cpuSeconds() - baseCpu0) * 1000) / Math.max(baseSat.responses, 1) : null;
  await baseline?.settle();

  log(s.name, `latency: ${s.offeredRate} req/s offered at a constant arrival rate for ${PHASE.latencySec} s`);
  const fixed = await fixedRate(api);
  apiPhases.push(fixed);
  const baseFixed = baseline ? await fixedRate(baseline) : undefined;
  if (fixed.errors + sat.errors > 0) {
    log(s.name, `statuses: saturation ${JSON.stringify(sat.statuses)}, latency ${JSON.stringify(fixed.statuses)}`);
  }
  const baselineRps = baseSat ? baseSat.rps : null;
  return {
    rps: sat.rps,
    baseline_rps: baselineRps,
    ratio: baselineRps ? round2(sat.rps / baselineRps) : null,
    p50_ms: fixed.p50_ms,
    p99_ms: fixed.p99_ms,
    p95_ms: fixed.p95_ms,
    baseline_p50_ms: baseFixed?.p50_ms ?? null,
    baseline_p99_ms: baseFixed?.p99_ms ?? null,
    driver_lag_ms: fixed.start_lag_ms ?? null,
    baseline_driver_lag_ms: baseFixed?.start_lag_ms ?? null,
    errors: apiPhases.reduce((n, p) => n + p.errors, 0),
    cpu_ms_per_req: round2(apiCpuMs),
    baseline_cpu_ms_per_req: baseCpuMs === null ? null : round2(baseCpuMs),
  };
}

export async function driven(s: Scenario, state: unknown, api: ServerProcess, admin: pg.Pool): Promise<LoadFigures> {
  log(s.name, 'driving its own load');
  const cpu0 = api.cpuSeconds();
  const r = await s.drive!({ apiUrl: api.baseUrl, admin, durationSec: PHASE.latencySec }, state);
  const events = Math.max(1, r.rps * PHASE.latencySec);
  return {
    ...r,
    baseline_rps: null,
    baseline_p50_ms: null,
    baseline_p99_ms: null,
    driver_lag_ms: null,
    baseline_driver_lag_ms: null,
    ratio: null,
    cpu_ms_per_req: round2(((api.cpuSeconds() - cpu0) * 1000) / events),
    baseline_cpu_ms_per_req: null,
  };
}

/** One request by hand before the load, so a broken route fails loudly instead of measuring 404s. */
export async function sanityCheck(
  s: Scenario,
  state: unknown,
  server: ServerProcess,
  spec: RequestSpec,
): Promise<void> {
  const req = spec.setupRequest ? (spec.setupRequest({ ...spec }, {}) ?? spec) : spec;
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

export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

export function log(scenario: string, msg: string): void {
  console.log(`[bench ${scenario}] ${msg}`);
}
