import { randomInt } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG } from '../../config/load-config';
import type { AppConfig } from '../../config/config.schema';
import { LookupHasher } from '../crypto/field-cipher';
import { REDIS } from '../redis/redis.module';
import { SMS_PROVIDER, type SmsProvider } from '../sms/sms-provider';
import { RateLimiter } from './rate-limiter';

export type CodePurpose = 'customer' | 'technician';
export const CODE_PURPOSES: readonly CodePurpose[] = ['customer', 'technician'];

/** A code is dead after this many wrong tries (the rule, not a tuning knob). */
export const MAX_CODE_ATTEMPTS = 5;

export type VerifyOutcome =
  | { ok: true }
  | { ok: false; reason: 'invalid'; attemptsLeft: number }
  /** The try budget of this code is spent; a new code can be requested. */
  | { ok: false; reason: 'locked'; retryAfterSeconds: number };

// One step: count the try, refuse once the budget is spent, burn the code on success.
const VERIFY = `
local h = redis.call('HGET', KEYS[1], 'h')
if not h then return {'missing', 0} end
local a = redis.call('HINCRBY', KEYS[1], 'a', 1)
local max = tonumber(ARGV[2])
if a > max then return {'locked', redis.call('TTL', KEYS[1])} end
if h == ARGV[1] then redis.call('DEL', KEYS[1]); return {'ok', 0} end
return {'wrong', max - a}`;

/**
 * One-time SMS codes for a store and purpose. Kept in Redis as an HMAC (a leaked key dump does
 * not reveal codes) with the try counter beside it; the key expires with the code. Keys carry
 * the phone's lookup hash, never the number.
 */
@Injectable()
export class SmsCodeService {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(SMS_PROVIDER) private readonly sms: SmsProvider,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly hasher: LookupHasher,
    private readonly limiter: RateLimiter,
  ) {}

  /** Sends a fresh code (replacing any earlier one). Throws 429 when a limit is reached. */
  async send(tenantId: string, purpose: CodePurpose, phone: string, ip: string): Promise<{ expiresIn: number }> {
    const who = this.phoneKey(phone);
    const c = this.config;
    await this.limiter.consume(
      [
        { key: `sms-send-ip:${ip}`, max: c.SMS_SENDS_PER_IP_PER_HOUR, windowSeconds: 3600 },
        { key: `sms-send-gap:${who}`, max: 1, windowSeconds: c.SMS_RESEND_INTERVAL_SECONDS },
        { key: `sms-send-day:${who}`, max: c.SMS_SENDS_PER_NUMBER_PER_DAY, windowSeconds: 86_400 },
      ],
      'too many codes requested, try again later',
    );
    const code = randomInt(0, 1_000_000).toString().padStart(6, '0');
    const key = this.codeKey(tenantId, purpose, who);
    await this.redis
      .multi()
      .del(key)
      .hset(key, 'h', this.digest(tenantId, purpose, who, code), 'a', '0')
      .expire(key, c.SMS_CODE_TTL_SECONDS)
      .exec();
    try {
      await this.sms.send(phone, 'login_code', { code, minutes: String(Math.ceil(c.SMS_CODE_TTL_SECONDS / 60)) });
    } catch (e) {
      // The gateway refused or did not answer: the person was told to try again, so the code is
      // dropped and the one-minute resend gap released (the daily and per-IP counts stay).
      await this.redis.del(key);
      await this.limiter.reset(`sms-send-gap:${who}`);
      throw e;
    }
    return { expiresIn: c.SMS_CODE_TTL_SECONDS };
  }

  /** Checks a code once. A missing/expired/wrong code is `invalid`; a spent try budget is `locked`. */
  async verify(
    tenantId: string,
    purpose: CodePurpose,
    phone: string,
    code: string,
    ip: string,
  ): Promise<VerifyOutcome> {
    await this.limiter.consume([
      { key: `sms-verify-ip:${ip}`, max: this.config.SMS_VERIFIES_PER_IP_PER_HOUR, windowSeconds: 3600 },
    ]);
    const who = this.phoneKey(phone);
    const [state, n] = (await this.redis.eval(
      VERIFY,
      1,
      this.codeKey(tenantId, purpose, who),
      this.digest(tenantId, purpose, who, code),
      MAX_CODE_ATTEMPTS,
    )) as [string, number];
    if (state === 'ok') return { ok: true };
    if (state === 'locked') return { ok: false, reason: 'locked', retryAfterSeconds: Math.max(1, n) };
    return { ok: false, reason: 'invalid', attemptsLeft: state === 'wrong' ? n : 0 };
  }

  private phoneKey(phone: string): string {
    return this.hasher.hash('phone', phone).toString('hex');
  }

  private codeKey(tenantId: string, purpose: CodePurpose, who: string): string {
    return `sms-code:${tenantId}:${purpose}:${who}`;
  }

  private digest(tenantId: string, purpose: CodePurpose, who: string, code: string): string {
    return this.hasher.hash('sms-code', `${tenantId}:${purpose}:${who}:${code}`).toString('hex');
  }
}
