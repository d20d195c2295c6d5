import type { RequestSpec } from 'autocannon';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import type { AppKit } from './app-kit';
import type { BaselineKit } from '../baseline/baseline-kit';

/**
 * One load scenario of `npm run bench`. A scenario is a file in load-tests/scenarios/ whose
 * default export satisfies this interface; the runner discovers the files, so adding a scenario
 * never touches the runner. The k6 script of the same name (load-tests/k6/<name>.js) describes the
 * same requests for operators who run k6.
 */
export interface Scenario<State = unknown> {
  /** Equal to the file name (checked at discovery). */
  readonly name: string;
  readonly description: string;
  /** Requests per second offered during the latency phase (p50/p99 are read there, not at saturation). */
  readonly offeredRate: number;
  readonly targets: Targets;
  /** Arranges the data on a fresh, migrated bench database; the returned state must be JSON. */
  seed(ctx: SeedContext): Promise<State>;
  /** What one load connection sends, in a loop, to the API and to the baseline alike. */
  requests(state: State): RequestSpec[];
  /** Non-2xx statuses that are correct answers (e.g. 409 "already taken" in a grab storm). */
  readonly expectedStatuses?: readonly number[];
  /** Called once per server with a sample response before the load; throw when it is wrong. */
  checkResponse?(status: number, body: unknown, state: State): void;
  /** The bare Fastify + pg server the ratio is measured against; omit when the scenario has none. */
  readonly baseline?: BaselineDefinition<State>;
  /** Post-run invariants (no double booking, ledger balanced, one winner per order...). */
  verify?(ctx: VerifyContext, state: State): Promise<CheckResult[]>;
  /**
   * For scenarios that are not plain request/response (offer-push: an event fanned out to 100
   * sockets): measures itself against the running API instead of the autocannon phases.
   * `requests` may then return [].
   */
  drive?(ctx: DriveContext, state: State): Promise<DriveResult>;
  /** Extra environment for the API process. */
  readonly apiEnv?: Readonly<Record<string, string>>;
}

/** Pass thresholds; an absent key is not checked. */
export interface Targets {
  ratio_min?: number;
  p99_ms_max?: number;
  p95_ms_max?: number;
  errors_max?: number;
  rss_mb_max?: number;
}

export interface SeedContext {
  /** Superuser pool on the bench database: RLS does not apply, so fixtures can be arranged freely. */
  readonly admin: pg.Pool;
  /** The production build's own crypto and token helpers, so rows have the shapes the app expects. */
  readonly app: AppKit;
}

export interface VerifyContext {
  readonly admin: pg.Pool;
}

export interface DriveContext {
  readonly apiUrl: string;
  readonly admin: pg.Pool;
  readonly durationSec: number;
}

export interface DriveResult {
  rps: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  errors: number;
}

export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  readonly detail?: string;
}

export interface BaselineDefinition<State> {
  register(app: FastifyInstance, kit: BaselineKit, state: State): void;
}

/** Identity helper that keeps the State type flowing through a scenario's methods. */
export function defineScenario<State>(s: Scenario<State>): Scenario<State> {
  return s;
}
