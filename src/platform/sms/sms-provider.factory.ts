import type { Logger } from 'pino';
import { ConfigError } from '../../config/load-config';
import { readSmsSettings, type SmsEnv } from '../../config/sms-settings';
import { AliyunSmsProvider } from './aliyun/aliyun-sms.provider';
import { LogSmsProvider } from './log-sms.provider';
import type { SmsProvider } from './sms-provider';
import { TencentSmsProvider } from './tencent/tencent-sms.provider';

/** The provider SMS_PROVIDER names, with its credentials and approved templates. */
export function createSmsProvider(config: SmsEnv, logger: Logger): SmsProvider {
  const read = readSmsSettings(config);
  // loadConfig has already refused these; this guards configs assembled by hand.
  if ('issues' in read) {
    throw new ConfigError(
      `Invalid SMS configuration: ${read.issues.map((i) => `${i.variable}: ${i.message}`).join('; ')}`,
    );
  }
  const s = read.settings;
  switch (s.provider) {
    case 'log':
      return new LogSmsProvider(logger);
    case 'aliyun':
      return new AliyunSmsProvider({ ...s, logger });
    case 'tencent':
      return new TencentSmsProvider({ ...s, logger });
  }
}
