import { Global, Module } from '@nestjs/common';
import { APP_CONFIG } from '../../config/load-config';
import type { AppConfig } from '../../config/config.schema';
import { createLogger } from '../logging/logger';
import { LogSmsProvider } from './log-sms.provider';
import { SMS_PROVIDER, type SmsProvider } from './sms-provider';

/** Chooses the SMS provider from SMS_PROVIDER; features inject it with @Inject(SMS_PROVIDER). */
@Global()
@Module({
  providers: [
    {
      provide: SMS_PROVIDER,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): SmsProvider => {
        switch (config.SMS_PROVIDER) {
          case 'log':
            return new LogSmsProvider(createLogger(config).child({ component: 'sms' }));
        }
      },
    },
  ],
  exports: [SMS_PROVIDER],
})
export class SmsModule {}
