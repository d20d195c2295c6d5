import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import type { AppConfig } from './config/config.schema';
import { APP_CONFIG } from './config/load-config';
import { DatabaseModule } from './platform/database/database.module';
import { RedisModule } from './platform/redis/redis.module';
import { CryptoModule } from './platform/crypto/crypto.module';
import { HealthController } from './platform/health/health.controller';
import { AccessTokenService } from './platform/auth/access-token.service';
import { SessionRevocations } from './platform/auth/session-revocations';
import { AuthGuard } from './platform/auth/auth.guard';
import { TenantDirectory } from './platform/tenancy/tenant-directory';
import { TenantGuard } from './platform/tenancy/tenant.guard';
import { TenantTransactionInterceptor } from './platform/tenancy/tenant-transaction.interceptor';
import { AbilityFactory } from './platform/authz/ability.factory';
import { PoliciesGuard } from './platform/authz/policies.guard';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    const configModule: DynamicModule = {
      module: class ConfigModule {},
      global: true,
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
    return {
      module: AppModule,
      imports: [configModule, DatabaseModule, RedisModule, CryptoModule],
      controllers: [HealthController],
      providers: [
        AccessTokenService,
        SessionRevocations,
        TenantDirectory,
        AbilityFactory,
        // Guards run in this order: who (auth) → which store (tenant) → may they (CASL).
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: TenantGuard },
        { provide: APP_GUARD, useClass: PoliciesGuard },
        { provide: APP_INTERCEPTOR, useClass: TenantTransactionInterceptor },
      ],
    };
  }
}
