import Fastify from 'fastify';
import pg from 'pg';
import { pickScenarios } from '../lib/registry';
import { TOKEN_ISSUER } from '../lib/app-kit';
import { BaselineKit } from './baseline-kit';
import { readFileSync } from 'node:fs';

/**
 * The baseline process: a bare Fastify + pg server answering a scenario's requests with the same
 * SQL and transaction as the API. Started by run-bench with BENCH_SCENARIO, BENCH_STATE_FILE,
 * APP_DATABASE_URL, DB_POOL_MAX, JWT_SECRET and PORT.
 */
async function main(): Promise<void> {
  const env = (k: string): string => {
    const v = process.env[k];
    if (!v) throw new Error(`baseline: ${k} is required`);
    return v;
  };
  const [scenario] = await pickScenarios([env('BENCH_SCENARIO')]);
  if (!scenario?.baseline) throw new Error(`scenario ${env('BENCH_SCENARIO')} has no baseline`);
  const state: unknown = JSON.parse(readFileSync(env('BENCH_STATE_FILE'), 'utf8'));
  const pool = new pg.Pool({ connectionString: env('APP_DATABASE_URL'), max: Number(env('DB_POOL_MAX')) });
  const app = Fastify({ logger: false });
  app.get('/health', async () => ({ status: 'ok' }));
  scenario.baseline.register(app, new BaselineKit(pool, env('JWT_SECRET'), TOKEN_ISSUER), state);
  const stop = async (): Promise<void> => {
    await app.close();
    await pool.end();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
  await app.listen({ port: Number(env('PORT')), host: '127.0.0.1' });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
