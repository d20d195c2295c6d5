import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '../../config/load-config';
import type { AppConfig } from '../../config/config.schema';
import { createPrismaClient, type PrismaClient } from './prisma';
import { PRISMA } from './database.tokens';
import { TenantContext } from './tenant-context';

@Global()
@Module({
  providers: [
    {
      provide: PRISMA,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => createPrismaClient(config.APP_DATABASE_URL, config.DB_POOL_MAX),
    },
    TenantContext,
  ],
  exports: [PRISMA, TenantContext],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  async onApplicationShutdown(): Promise<void> {
    await this.prisma.$disconnect();
  }
}
