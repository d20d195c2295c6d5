import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { percentile, runArrivalPhase } from '../load-tests/lib/arrival-driver';

/** A server that answers after `delay` ms and remembers when each request arrived. */
let server: Server;
let url = '';
let delayMs = 0;
const arrivals: number[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    arrivals.push(performance.now());
    const status = req.url === '/missing' ? 404 : 200;
    setTimeout(() => res.writeHead(status, { 'content-type': 'application/json' }).end('{"n":1}'), delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('constant-arrival-rate load driver (bench latency phase)', () => {
  it('spreads the offered requests evenly over the second instead of bursting them', async () => {
    arrivals.length = 0;
    delayMs = 0;
    const r = await runArrivalPhase({
      url,
      requests: [{ path: '/ok' }],
      iterationsPerSec: 200,
      durationSec: 1,
      connections: 20,
    });

    expect(r.responses).toBe(200);
    expect(r.errors).toBe(0);
    const t0 = arrivals[0]!;
    const firstTenth = arrivals.filter((t) => t - t0 < 100).length;
    // Even spacing: ~20 in the first 100 ms. A per-second burst would put all 200 there.
    expect(firstTenth).toBeLessThan(40);
    const gaps = arrivals.slice(1).map((t, i) => t - arrivals[i]!);
    expect(
      percentile(
        [...gaps].sort((a, b) => a - b),
        50,
      ),
    ).toBeGreaterThan(2);
  });

  it('reports how late the driver itself started requests: a stalled machine shows, a quiet one does not', async () => {
    delayMs = 0;
    const phase = () =>
      runArrivalPhase({ url, requests: [{ path: '/ok' }], iterationsPerSec: 100, durationSec: 0.5, connections: 5 });
    const quiet = await phase();
    // The driver's own event loop is blocked for 80 ms mid-phase (as when the machine stalls it).
    setTimeout(() => {
      const until = performance.now() + 80;
      while (performance.now() < until);
    }, 150);
    const stalled = await phase();
    expect(stalled.start_lag_ms).toBeGreaterThanOrEqual(60);
    expect(quiet.start_lag_ms).toBeLessThan(stalled.start_lag_ms!);
  });

  it('counts the wait for a free connection in the latency (no coordinated omission)', async () => {
    delayMs = 50;
    // 100 iterations/s on one connection that is busy 50 ms per request: the queue grows.
    const r = await runArrivalPhase({
      url,
      requests: [{ path: '/ok' }],
      iterationsPerSec: 100,
      durationSec: 0.5,
      connections: 1,
    });
    delayMs = 0;
    expect(r.responses).toBe(50);
    expect(r.p99_ms).toBeGreaterThan(1000);
  });

  it('runs an iteration as a sequence sharing a context, and counts unexpected statuses as errors', async () => {
    const seen: string[] = [];
    const r = await runArrivalPhase({
      url,
      requests: [
        { path: '/ok', onResponse: (_s, body, ctx) => void (ctx['first'] = body) },
        {
          setupRequest: (req, ctx) => {
            seen.push(String(ctx['first']));
            return { ...req, path: '/missing' };
          },
        },
      ],
      iterationsPerSec: 20,
      durationSec: 0.5,
      connections: 2,
    });
    expect(seen).toHaveLength(10);
    expect(seen.every((b) => b === '{"n":1}')).toBe(true);
    expect(r.statuses).toEqual({ '200': 10, '404': 10 });
    expect(r.errors).toBe(10);
  });

  it('sends the lead-in at the same rate but records only the measured window (errors count in both)', async () => {
    arrivals.length = 0;
    delayMs = 0;
    let served = 0;
    const r = await runArrivalPhase({
      url,
      requests: [
        {
          setupRequest: (req) => ({ ...req, path: served++ < 10 ? '/missing' : '/ok' }),
        },
      ],
      iterationsPerSec: 100,
      leadInSec: 0.5,
      durationSec: 0.5,
      connections: 5,
    });
    // 50 lead-in + 50 measured requests reached the server, evenly spaced over one second.
    expect(arrivals).toHaveLength(100);
    expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThan(900);
    // Only the measured window's answers carry latencies and throughput …
    expect(r.responses).toBe(50);
    expect(r.rps).toBeGreaterThan(80);
    expect(r.rps).toBeLessThan(120);
    // … but the lead-in's 10 unexpected statuses are still errors.
    expect(r.errors).toBe(10);
    expect(r.statuses).toEqual({ '200': 90, '404': 10 });
  });
});
