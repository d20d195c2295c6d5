import type { SmsTemplate } from '../platform/sms/sms-provider';

/** The environment variables that choose and configure the SMS gateway (see config.schema.ts). */
export interface SmsEnv {
  NODE_ENV: 'development' | 'test' | 'production';
  SMS_PROVIDER: 'log' | 'aliyun' | 'tencent';
  SMS_LOG_IN_PRODUCTION: boolean;
  SMS_SIGN_NAME?: string;
  SMS_TEMPLATE_LOGIN_CODE?: string;
  SMS_TEMPLATE_TECHNICIAN_REVIEW?: string;
  SMS_TEMPLATE_NOTIFICATION?: string;
  SMS_ENDPOINT?: string;
  SMS_TIMEOUT_MS: number;
  ALIYUN_SMS_ACCESS_KEY_ID?: string;
  ALIYUN_SMS_ACCESS_KEY_SECRET?: string;
  TENCENT_SMS_SECRET_ID?: string;
  TENCENT_SMS_SECRET_KEY?: string;
  TENCENT_SMS_SDK_APP_ID?: string;
  TENCENT_SMS_REGION: string;
}

interface GatewaySettings {
  signName: string;
  templates: Record<SmsTemplate, string>;
  /** Overrides the gateway's public endpoint (tests, egress proxies). */
  endpoint?: string;
  timeoutMs: number;
}

export type SmsSettings =
  | { provider: 'log' }
  | ({ provider: 'aliyun'; accessKeyId: string; accessKeySecret: string } & GatewaySettings)
  | ({ provider: 'tencent'; secretId: string; secretKey: string; sdkAppId: string; region: string } & GatewaySettings);

export interface SmsConfigIssue {
  variable: keyof SmsEnv;
  message: string;
}

/**
 * The SMS settings the chosen provider needs, or every variable that is missing for it. Runs at
 * boot (config.schema.ts), so a gateway selected without its credentials or templates never starts.
 */
export function readSmsSettings(env: SmsEnv): { settings: SmsSettings } | { issues: SmsConfigIssue[] } {
  const provider = env.SMS_PROVIDER;
  if (provider === 'log') {
    if (env.NODE_ENV === 'production' && !env.SMS_LOG_IN_PRODUCTION) {
      return {
        issues: [
          {
            variable: 'SMS_PROVIDER',
            message:
              '`log` only writes messages to the log and is refused in production: choose aliyun or tencent (or set SMS_LOG_IN_PRODUCTION=true on a system nobody signs in to for real)',
          },
        ],
      };
    }
    return { settings: { provider } };
  }
  const issues: SmsConfigIssue[] = [];
  const need = (variable: keyof SmsEnv): string => {
    const value = env[variable];
    if (typeof value === 'string' && value.length > 0) return value;
    issues.push({ variable, message: `required when SMS_PROVIDER=${provider}` });
    return '';
  };
  const gateway: GatewaySettings = {
    signName: need('SMS_SIGN_NAME'),
    templates: {
      login_code: need('SMS_TEMPLATE_LOGIN_CODE'),
      technician_review: need('SMS_TEMPLATE_TECHNICIAN_REVIEW'),
      notification: need('SMS_TEMPLATE_NOTIFICATION'),
    },
    ...(env.SMS_ENDPOINT ? { endpoint: env.SMS_ENDPOINT } : {}),
    timeoutMs: env.SMS_TIMEOUT_MS,
  };
  const settings: SmsSettings =
    provider === 'aliyun'
      ? {
          provider,
          accessKeyId: need('ALIYUN_SMS_ACCESS_KEY_ID'),
          accessKeySecret: need('ALIYUN_SMS_ACCESS_KEY_SECRET'),
          ...gateway,
        }
      : {
          provider,
          secretId: need('TENCENT_SMS_SECRET_ID'),
          secretKey: need('TENCENT_SMS_SECRET_KEY'),
          sdkAppId: need('TENCENT_SMS_SDK_APP_ID'),
          region: env.TENCENT_SMS_REGION,
          ...gateway,
        };
  return issues.length > 0 ? { issues } : { settings };
}
