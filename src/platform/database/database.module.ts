import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { APP_CONFIG } from '../../config/load-config';
import type { AppConfig } from '../../config/config.schema';
import { createPrismaClient, type PrismaClient } from './prisma';
import { PRISMA, SQL_POOL } from './database.tokens';
import { TenantContext } from './tenant-context';
import { sqlPoolTypes } from './pg-timestamptz';

@Global()
@Module({
  providers: [
    {
      provide: PRISMA,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        createPrismaClient(config.APP_DATABASE_URL, config.DB_POOL_MAX, config.DB_TX_MAX_WAIT_MS),
    },
    {
      // Plain pg for TenantContext.runSql (hot read paths); same role, so the same RLS.
      provide: SQL_POOL,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const pool = new pg.Pool({
          connectionString: config.APP_DATABASE_URL,
          max: config.DB_POOL_MAX,
          // as Prisma's pool: a connection idle for a short lull is kept, not re-opened (~10 ms) on the next request
          idleTimeoutMillis: 30_000,
          connectionTimeoutMillis: config.DB_TX_MAX_WAIT_MS,
          types: sqlPoolTypes,
          // Queries a unit of work issues without awaiting in between go out at once (its closing
          // statement and COMMIT: TenantContext.closingStatement); awaited ones behave as before.
          pipeline: true,
          // Every statement here is a keyed lookup or write named once per connection (TenantContext
          // .query): plan it once, not on every execution. PostgreSQL's own choice ("auto") re-planned
          // most of them on every call (~0.1–0.5 ms of server CPU each, ~2.5 ms per booked order).
          options: '-c plan_cache_mode=force_generic_plan',
        });
        pool.on('error', () => undefined); // an idle client dropped by the server is replaced on next use
        return pool;
      },
    },
    TenantContext,
  ],
  exports: [PRISMA, SQL_POOL, TenantContext],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(SQL_POOL) private readonly pool: pg.Pool,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    // Idempotent: the dev launcher and Nest's own signal hooks may both close the app.
    await Promise.all([this.prisma.$disconnect(), this.pool.ended ? undefined : this.pool.end()]);
  }
}
