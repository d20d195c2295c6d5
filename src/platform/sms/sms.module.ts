import { Global, Module } from '@nestjs/common';
import { APP_CONFIG } from '../../config/load-config';
import type { AppConfig } from '../../config/config.schema';
import { createLogger } from '../logging/logger';
import { SMS_PROVIDER, type SmsProvider } from './sms-provider';
import { createSmsProvider } from './sms-provider.factory';

/** Chooses the SMS provider from SMS_PROVIDER (log, aliyun, tencent); features inject it with @Inject(SMS_PROVIDER). */
@Global()
@Module({
  providers: [
    {
      provide: SMS_PROVIDER,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): SmsProvider =>
        createSmsProvider(config, createLogger(config).child({ component: 'sms' })),
    },
  ],
  exports: [SMS_PROVIDER],
})
export class SmsModule {}
