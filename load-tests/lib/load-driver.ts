import autocannon, { type RequestSpec, type Result } from 'autocannon';

export interface PhaseResult {
  /** Correct answers per second (2xx plus the scenario's expected statuses). */
  rps: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  /** Socket errors + timeouts + unexpected statuses. */
  errors: number;
  statuses: Record<string, number>;
  /** Responses received (any status). */
  responses: number;
  /**
   * Constant-arrival phases: the worst delay of the driver in starting a request when it was due.
   * A large one means this machine stalled the driver too (a p99 then measures the machine).
   */
  start_lag_ms?: number;
}

export interface PhaseOptions {
  url: string;
  requests: RequestSpec[];
  connections: number;
  durationSec: number;
  expectedStatuses?: readonly number[];
}

export function runPhase(opts: PhaseOptions): Promise<PhaseResult> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: opts.url,
        connections: opts.connections,
        duration: opts.durationSec,
        requests: opts.requests,
        timeout: 10,
      },
      (err, result) => (err ? reject(err) : resolve(summarise(result, opts.expectedStatuses ?? []))),
    );
  });
}

function summarise(r: Result, expected: readonly number[]): PhaseResult {
  const statuses: Record<string, number> = {};
  let good = 0;
  let unexpected = 0;
  for (const [code, { count }] of Object.entries(r.statusCodeStats ?? {})) {
    const n = Number(count);
    statuses[code] = n;
    const status = Number(code);
    if ((status >= 200 && status < 300) || expected.includes(status)) good += n;
    else unexpected += n;
  }
  return {
    rps: round(good / Math.max(r.duration, 0.001)),
    p50_ms: round(r.latency.p50),
    p95_ms: round(percentile95(r)),
    p99_ms: round(r.latency.p99),
    errors: unexpected + r.errors,
    statuses,
    responses: good + unexpected,
  };
}

/** autocannon reports p90 and p97.5; p95 is interpolated between them (only offer-push style targets use it). */
function percentile95(r: Result): number {
  return r.latency.p90 + ((r.latency.p97_5 - r.latency.p90) * (95 - 90)) / (97.5 - 90);
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
