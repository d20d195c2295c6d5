import { appendFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { RequestSpec } from 'autocannon';
import { Pool } from 'undici';
import type { PhaseResult } from './load-driver';

export interface ArrivalOptions {
  url: string;
  /** One iteration: these requests in order, sharing one context (as an autocannon connection does). */
  requests: RequestSpec[];
  /** Iterations started per second, evenly spaced (k6 `constant-arrival-rate`). */
  iterationsPerSec: number;
  durationSec: number;
  /**
   * Seconds sent at the same rate on the same connections before the measured window, unrecorded
   * (k6 users put a ramp stage first): the window then shows the server in steady state at this
   * rate, not its connections being opened and its pools refilled after the previous phase.
   */
  leadInSec?: number;
  /** Connections to the server (k6 VUs); an iteration that finds none free waits, and that wait counts. */
  connections: number;
  expectedStatuses?: readonly number[];
}

/**
 * Open-loop load at a fixed arrival rate: iteration i starts at t0 + i / rate whatever the server
 * is doing, so a slow answer never slows the offered load (no coordinated omission). A request's
 * latency runs from the moment it was due (for an iteration's first request, its scheduled start)
 * to the end of its response body: time spent waiting for a free connection counts.
 *
 * autocannon's `overallRate` cannot do this: each connection sends its share of a second's
 * requests back to back and then idles until the next second, so "500 req/s" is a burst of 500 at
 * the top of every second and the latency it reports is the burst's queue.
 */
export async function runArrivalPhase(opts: ArrivalOptions): Promise<PhaseResult> {
  const pool = new Pool(opts.url, { connections: opts.connections, pipelining: 1, keepAliveTimeout: 30_000 });
  const expected = opts.expectedStatuses ?? [];
  const latencies: number[] = [];
  /** [ms since start when due, latency ms] per request, for BENCH_LATENCY_DUMP. */
  const timeline: Array<[number, number]> = [];
  let t0 = 0;
  const statuses: Record<string, number> = {};
  let good = 0;
  let failed = 0;

  const send = async (
    spec: RequestSpec,
    context: Record<string, unknown>,
    dueAt: number,
    recorded: boolean,
  ): Promise<boolean> => {
    const req = spec.setupRequest ? (spec.setupRequest({ ...spec }, context) ?? spec) : spec;
    try {
      const res = await pool.request({
        method: (req.method ?? 'GET') as 'GET',
        path: req.path ?? '/',
        headers: req.headers ?? {},
        ...(req.body !== undefined ? { body: req.body as string } : {}),
      });
      const body = await res.body.text();
      const latency = performance.now() - dueAt;
      const ok = (res.statusCode >= 200 && res.statusCode < 300) || expected.includes(res.statusCode);
      // Errors count wherever they happen; latencies and throughput only in the measured window.
      statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
      if (!ok) failed++;
      else if (recorded) good++;
      if (recorded) {
        latencies.push(latency);
        timeline.push([Math.round(dueAt - t0), Math.round(latency * 100) / 100]);
      }
      spec.onResponse?.(res.statusCode, body, context);
      return ok;
    } catch {
      failed++;
      statuses['error'] = (statuses['error'] ?? 0) + 1;
      return false;
    }
  };

  let maxLagMs = 0;
  const iteration = async (scheduledAt: number, recorded: boolean): Promise<void> => {
    if (recorded) maxLagMs = Math.max(maxLagMs, performance.now() - scheduledAt);
    const context: Record<string, unknown> = {};
    let dueAt = scheduledAt;
    for (const spec of opts.requests) {
      if (!(await send(spec, context, dueAt, recorded))) return;
      dueAt = performance.now();
    }
  };

  const intervalMs = 1000 / opts.iterationsPerSec;
  const leadIn = Math.round(opts.iterationsPerSec * (opts.leadInSec ?? 0));
  const total = leadIn + Math.round(opts.iterationsPerSec * opts.durationSec);
  const running: Promise<void>[] = [];
  const start = performance.now();
  /** The measured window starts with the first recorded iteration. */
  t0 = start + leadIn * intervalMs;
  let started = 0;
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const now = performance.now();
      while (started < total && start + started * intervalMs <= now) {
        running.push(iteration(start + started * intervalMs, started >= leadIn));
        started++;
      }
      if (started >= total) resolve();
      else setTimeout(tick, Math.max(0, start + started * intervalMs - performance.now()));
    };
    tick();
  });
  await Promise.all(running);
  const elapsedSec = (performance.now() - t0) / 1000;
  await pool.close();

  // BENCH_LATENCY_DUMP=<file> appends each request's due time and latency (one JSON line per phase).
  if (process.env.BENCH_LATENCY_DUMP) appendFileSync(process.env.BENCH_LATENCY_DUMP, `${JSON.stringify(timeline)}\n`);
  latencies.sort((a, b) => a - b);
  return {
    rps: round(good / elapsedSec),
    p50_ms: round(percentile(latencies, 50)),
    p95_ms: round(percentile(latencies, 95)),
    p99_ms: round(percentile(latencies, 99)),
    errors: failed,
    start_lag_ms: round(maxLagMs),
    statuses,
    responses: latencies.length,
  };
}

/** Nearest-rank percentile of sorted samples. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
