import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { REDIS } from '../redis/redis.module';

/** 429 with the seconds to wait; the exception filter turns them into a `Retry-After` header. */
export class RateLimitedException extends HttpException {
  constructor(
    readonly retryAfterSeconds: number,
    message = 'too many attempts, try again later',
  ) {
    super({ code: 'RATE_LIMITED', message, retryAfterSeconds }, HttpStatus.TOO_MANY_REQUESTS);
  }
}

export interface Limit {
  /** Redis key (already namespaced by the shared client's prefix). Never put personal data in it. */
  key: string;
  max: number;
  windowSeconds: number;
}

// INCR and set the window on the first hit in one step, so parallel requests cannot slip past.
const CONSUME = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('TTL', KEYS[1])
if ttl < 0 then redis.call('EXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {n, ttl}`;

/** Fixed-window counters in Redis. Every call counts, so a burst cannot race a check-then-increment. */
@Injectable()
export class RateLimiter {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  /**
   * Counts one hit against each limit in order and throws 429 at the first one exceeded; later
   * limits are left untouched (a refused resend must not eat into the daily allowance).
   */
  async consume(limits: Limit[], message?: string): Promise<void> {
    for (const limit of limits) {
      const [count, ttl] = (await this.redis.eval(CONSUME, 1, `rl:${limit.key}`, limit.windowSeconds)) as [
        number,
        number,
      ];
      if (count > limit.max) throw new RateLimitedException(Math.max(1, ttl), message);
    }
  }

  /** Forget a counter (e.g. an account's failed passwords after a successful sign-in). */
  async reset(key: string): Promise<void> {
    await this.redis.del(`rl:${key}`);
  }
}
