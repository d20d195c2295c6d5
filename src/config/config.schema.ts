import { z } from 'zod';
import { readSmsSettings } from './sms-settings';

const base64Key = (name: string) =>
  z
    .string({ error: `${name} is required (32 random bytes, base64)` })
    .refine((v) => Buffer.from(v, 'base64').length === 32, `${name} must be 32 bytes encoded as base64`);

/** Unset and empty mean the same (an empty `KEY=` line, a blank Helm value). */
const optionalText = z
  .string()
  .optional()
  .transform((v) => (v?.trim() ? v.trim() : undefined));

const configFields = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Public origin of the API, used in e-mail links. */
  PUBLIC_URL: z.url().default('http://localhost:3000'),
  /** Stores are served at {slug}.{BASE_DOMAIN}; also reachable at /t/{slug}/. */
  BASE_DOMAIN: z.string().min(1).default('localhost'),
  /** Connection the app uses: the massage_app role (RLS enforced). */
  APP_DATABASE_URL: z.url({ error: 'APP_DATABASE_URL must be a postgres:// URL' }),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** How long a unit of work may wait for a pooled connection before failing (ms). */
  DB_TX_MAX_WAIT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  REDIS_URL: z.url().default('redis://127.0.0.1:6379'),
  /** Namespace for every Redis key and BullMQ queue of this deployment. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[a-z0-9_-]+$/)
    .default('massage'),
  /** Secret for signing access tokens (HS256). */
  JWT_SECRET: z.string().min(32, 'JWT_SECRET must be at least 32 characters'),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(3600).default(900),
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** AES-256-GCM key for personal data at rest (phones, ID numbers). */
  DATA_ENCRYPTION_KEY: base64Key('DATA_ENCRYPTION_KEY'),
  /** HMAC key for lookup hashes of personal data (phone → customer). */
  LOOKUP_HASH_KEY: base64Key('LOOKUP_HASH_KEY'),
  /** nodemailer transport URL; unset = log messages instead of sending (development only). */
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('上门到家 <no-reply@massage.local>'),
  /**
   * SMS gateway: `log` writes messages to the log (development; refused in production unless
   * SMS_LOG_IN_PRODUCTION=true), `aliyun` (Dysmsapi SendSms) or `tencent` (SMS SendSms 2021-01-11).
   * A gateway needs SMS_SIGN_NAME, the three SMS_TEMPLATE_* ids and its own keys (sms-settings.ts).
   */
  SMS_PROVIDER: z.enum(['log', 'aliyun', 'tencent']).default('log'),
  SMS_LOG_IN_PRODUCTION: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  SMS_SIGN_NAME: optionalText,
  SMS_TEMPLATE_LOGIN_CODE: optionalText,
  SMS_TEMPLATE_TECHNICIAN_REVIEW: optionalText,
  SMS_TEMPLATE_NOTIFICATION: optionalText,
  /** Overrides the gateway's public endpoint (tests, an egress proxy). */
  SMS_ENDPOINT: z.url().optional(),
  SMS_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(5_000),
  ALIYUN_SMS_ACCESS_KEY_ID: optionalText,
  ALIYUN_SMS_ACCESS_KEY_SECRET: optionalText,
  TENCENT_SMS_SECRET_ID: optionalText,
  TENCENT_SMS_SECRET_KEY: optionalText,
  TENCENT_SMS_SDK_APP_ID: optionalText,
  TENCENT_SMS_REGION: z
    .string()
    .regex(/^[a-z]+-[a-z]+$/, 'TENCENT_SMS_REGION must look like ap-guangzhou')
    .default('ap-guangzhou'),
  /** Sign-in limits (src/platform/auth): SMS codes live 5 min; sends and tries are rate limited. */
  SMS_CODE_TTL_SECONDS: z.coerce.number().int().min(1).default(300),
  /** Technician check-in (到达签到): the reported position must be this close to the order address. */
  CHECKIN_GEOFENCE_M: z.coerce.number().int().min(10).max(10_000).default(300),
  SMS_RESEND_INTERVAL_SECONDS: z.coerce.number().int().min(1).default(60),
  SMS_SENDS_PER_NUMBER_PER_DAY: z.coerce.number().int().min(1).default(10),
  SMS_SENDS_PER_IP_PER_HOUR: z.coerce.number().int().min(1).default(30),
  SMS_VERIFIES_PER_IP_PER_HOUR: z.coerce.number().int().min(1).default(60),
  PASSWORD_ATTEMPTS_PER_ACCOUNT_PER_15_MIN: z.coerce.number().int().min(1).default(10),
  PASSWORD_ATTEMPTS_PER_IP_PER_15_MIN: z.coerce.number().int().min(1).default(50),
  /** Where uploaded files go: `local` (FILES_DIR) or any S3-compatible store (S3_*). */
  FILES_DRIVER: z.enum(['local', 's3']).default('local'),
  FILES_DIR: z.string().min(1).default('.data/files'),
  FILES_MAX_IMAGE_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(5 * 1024 * 1024),
  FILES_MAX_CERTIFICATE_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(10 * 1024 * 1024),
  /** Upload rate limits (fixed windows in Redis): per signed-in user and per client IP. */
  FILES_UPLOADS_PER_USER: z.coerce.number().int().min(1).default(60),
  FILES_UPLOADS_PER_IP: z.coerce.number().int().min(1).default(300),
  FILES_UPLOAD_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(3600),
  /** Uploads nothing references are deleted (row and blob) once this old, by a repeatable job per store. */
  FILES_ORPHAN_GRACE_SECONDS: z.coerce.number().int().min(1).default(86_400),
  FILES_CLEANUP_EVERY_MS: z.coerce.number().int().min(1000).default(3_600_000),
  S3_BUCKET: z.string().optional(),
  S3_ENDPOINT: z.string().optional(),
  S3_REGION: z.string().default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  S3_FORCE_PATH_STYLE: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** A technician's app position is stored at most once per this interval (extra pings are dropped). */
  TECHNICIAN_LOCATION_INTERVAL_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  /** The declarative stores (tenants/{slug}/tenant.yaml); their logos are served from here. */
  TENANTS_DIR: z.string().default('tenants'),
  /** The built H5 site (vite build --config web/vite.config.mts); served at /t/{slug}/ and on store hosts. */
  WEB_DIST_DIR: z.string().default('web/dist'),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Run BullMQ workers in this process (the API can also run without them). */
  RUN_WORKERS: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** Base delay of the exponential retry backoff of background jobs. */
  QUEUE_BACKOFF_MS: z.coerce.number().int().min(1).max(600_000).default(5_000),
  /** The sandbox payment provider (local checkout page). Default: on, except in production. */
  PAYMENT_SANDBOX_ENABLED: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true')),
  /** Platform fee taken from each completed order, in basis points (500 = 5 %). */
  PLATFORM_FEE_BPS: z.coerce.number().int().min(0).max(3000).default(500),
  /** Reconciliation asks the provider about payments still pending this long after creation. */
  PAYMENT_RECONCILE_AFTER_MINUTES: z.coerce.number().int().min(1).max(1440).default(10),
  /** Payment gateways (defaults: the real ones; tests and local fakes point elsewhere). */
  WECHAT_PAY_BASE_URL: z.url().optional(),
  ALIPAY_GATEWAY_URL: z.url().optional(),
  /** How often each store's reconciliation job runs. */
  PAYMENT_RECONCILE_EVERY_MS: z.coerce.number().int().min(1000).default(300_000),
  TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});

/** The variables plus the rules that span several of them. */
export const configSchema = configFields.superRefine((c, ctx) => {
  const sms = readSmsSettings(c);
  if (!('issues' in sms)) return;
  for (const i of sms.issues) ctx.addIssue({ code: 'custom', path: [i.variable], message: i.message });
});

export type AppConfig = z.infer<typeof configSchema>;
