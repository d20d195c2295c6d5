import type { CheckResult, Targets } from './scenario';

/** One scenario's line in load-tests/results/latest.json. */
export interface ScenarioReport {
  rps: number;
  baseline_rps: number | null;
  ratio: number | null;
  p50_ms: number;
  p99_ms: number;
  p95_ms: number;
  /** The baseline's latency at the same constant arrival rate: the floor this machine and driver allow. */
  baseline_p50_ms: number | null;
  baseline_p99_ms: number | null;
  /**
   * The driver's worst start delay in the API's and the baseline's latency phases: when the driver
   * itself could not start requests on time, the machine stalled, and p99 says more about it than
   * about the server.
   */
  driver_lag_ms: number | null;
  baseline_driver_lag_ms: number | null;
  errors: number;
  rss_mb: number;
  /** The API's resident memory when it became healthy, before any load. */
  rss_idle_mb: number;
  offered_rps: number;
  /** CPU milliseconds per request at saturation (API and baseline): robust on a shared machine. */
  cpu_ms_per_req: number;
  baseline_cpu_ms_per_req: number | null;
  target: Targets;
  checks: CheckResult[];
  failures: string[];
  pass: boolean;
}

export type Measured = Omit<ScenarioReport, 'target' | 'checks' | 'failures' | 'pass'>;

export function judge(m: Measured, target: Targets, checks: CheckResult[]): ScenarioReport {
  const failures: string[] = [];
  const need = (ok: boolean, msg: string): void => {
    if (!ok) failures.push(msg);
  };
  if (target.ratio_min !== undefined) {
    need(m.ratio !== null && m.ratio >= target.ratio_min, `ratio ${m.ratio ?? 'n/a'} < ${target.ratio_min}`);
  }
  if (target.p99_ms_max !== undefined) {
    need(m.p99_ms <= target.p99_ms_max, `p99 ${m.p99_ms} ms > ${target.p99_ms_max} ms at ${m.offered_rps} req/s`);
  }
  if (target.p95_ms_max !== undefined) {
    need(m.p95_ms <= target.p95_ms_max, `p95 ${m.p95_ms} ms > ${target.p95_ms_max} ms at ${m.offered_rps} req/s`);
  }
  if (target.errors_max !== undefined) need(m.errors <= target.errors_max, `errors ${m.errors} > ${target.errors_max}`);
  if (target.rss_mb_max !== undefined)
    need(m.rss_mb <= target.rss_mb_max, `rss ${m.rss_mb} MB > ${target.rss_mb_max} MB`);
  for (const c of checks) need(c.ok, `check "${c.name}" failed${c.detail ? `: ${c.detail}` : ''}`);
  return { ...m, target, checks, failures, pass: failures.length === 0 };
}

/** A fixed-width table for the terminal. */
export function formatTable(results: Record<string, ScenarioReport>): string {
  const head = [
    'scenario',
    'rps',
    'baseline',
    'ratio',
    'p50 ms',
    'p99 ms',
    'driver lag ms',
    '@ req/s',
    'errors',
    'rss MB',
    'cpu ms/req',
    'pass',
  ];
  const rows = Object.entries(results).map(([name, r]) => [
    name,
    String(Math.round(r.rps)),
    r.baseline_rps === null ? '-' : String(Math.round(r.baseline_rps)),
    r.ratio === null ? '-' : r.ratio.toFixed(2),
    r.p50_ms.toFixed(2),
    `${r.p99_ms.toFixed(2)}${r.baseline_p99_ms === null ? '' : ` (base ${r.baseline_p99_ms.toFixed(2)})`}`,
    r.driver_lag_ms === null
      ? '-'
      : `${r.driver_lag_ms.toFixed(1)}${r.baseline_driver_lag_ms === null ? '' : ` (base ${r.baseline_driver_lag_ms.toFixed(1)})`}`,
    String(r.offered_rps),
    String(r.errors),
    `${r.rss_mb.toFixed(1)} (idle ${r.rss_idle_mb.toFixed(0)})`,
    `${r.cpu_ms_per_req.toFixed(2)}${r.baseline_cpu_ms_per_req === null ? '' : ` vs ${r.baseline_cpu_ms_per_req.toFixed(2)}`}`,
    r.pass ? 'PASS' : 'FAIL',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  for (const [name, r] of Object.entries(results)) {
    for (const f of r.failures) out.push(`  ${name}: ${f}`);
  }
  return out.join('\n');
}
