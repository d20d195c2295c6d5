import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import type { AppConfig } from './config/config.schema';
import { APP_CONFIG } from './config/load-config';
import { DatabaseModule } from './platform/database/database.module';
import { RedisModule } from './platform/redis/redis.module';
import { CryptoModule } from './platform/crypto/crypto.module';
import { PlatformKernelModule } from './platform/platform-kernel.module';
import { RealtimeModule } from './platform/realtime/realtime.module';
import { QueueModule } from './platform/queue/queue.module';
import { MailModule } from './platform/mail/mail.module';
import { HealthController } from './platform/health/health.controller';
import { AuthGuard } from './platform/auth/auth.guard';
import { TenantGuard } from './platform/tenancy/tenant.guard';
import { TenantTransactionInterceptor } from './platform/tenancy/tenant-transaction.interceptor';
import { PoliciesGuard } from './platform/authz/policies.guard';
import { CustomersModule } from './modules/customers/customers.module';
import { TechniciansModule } from './modules/technicians/technicians.module';
import { FilesModule } from './platform/files/files.module';
import { CatalogModule } from './modules/catalog/catalog.module';
import { AuthModule } from './platform/auth/auth.module';
import { SignupModule } from './modules/signup/signup.module';
import { PlatformConsoleModule } from './modules/platform-console/platform-console.module';
import { StoreProfileModule } from './modules/store-profile/store-profile.module';
import { SchedulingModule } from './modules/scheduling/scheduling.module';
import { PaymentsModule } from './modules/payments/payments.module';
import { GrabModule } from './modules/grab/grab.module';
import { SharedPoolModule } from './modules/shared-pool/shared-pool.module';
import { TechnicianWorkModule } from './modules/technician-work/technician-work.module';
import { AvailabilityModule } from './modules/availability/availability.module';
import { AddressesModule } from './modules/addresses/addresses.module';
import { OrdersModule } from './modules/orders/orders.module';
import { DispatchModule } from './modules/dispatch/dispatch.module';
import { NotificationsModule } from './modules/notifications/notifications.module';
import { ReviewsModule } from './modules/reviews/reviews.module';

/** Feature modules, one per capability (each registers itself here with a one-line edit). */
const FEATURE_MODULES: DynamicModule['imports'] = [
  AuthModule,
  CustomersModule,
  FilesModule,
  CatalogModule,
  TechniciansModule,
  SignupModule,
  PlatformConsoleModule,
  StoreProfileModule,
  SchedulingModule,
  AvailabilityModule,
  AddressesModule,
  NotificationsModule,
  OrdersModule,
  DispatchModule,
  ReviewsModule,
  PaymentsModule,
  GrabModule,
  SharedPoolModule,
  TechnicianWorkModule,
];

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
      imports: [
        configModule,
        DatabaseModule,
        RedisModule,
        CryptoModule,
        PlatformKernelModule,
        RealtimeModule,
        QueueModule.forRoot(),
        MailModule,
        ...(FEATURE_MODULES ?? []),
      ],
      controllers: [HealthController],
      providers: [
        // Guards run in this order: who (auth) → which store (tenant) → may they (CASL).
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: TenantGuard },
        { provide: APP_GUARD, useClass: PoliciesGuard },
        { provide: APP_INTERCEPTOR, useClass: TenantTransactionInterceptor },
      ],
    };
  }
}
