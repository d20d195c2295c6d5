import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { REDIS } from '../../platform/redis/redis.module';

// INCR and start the window on the first hit in one step, so parallel requests cannot slip past.
const CONSUME = `
local n = redis.call('INCR', KEYS[1])
if n == 1 or redis.call('TTL', KEYS[1]) < 0 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return {n, redis.call('TTL', KEYS[1])}`;

export interface SignupLimit {
  /** No personal data in keys: callers pass hashes. */
  key: string;
  max: number;
  windowSeconds: number;
}

/** Fixed-window counters for the public sign-up endpoints (429 with Retry-After seconds). */
@Injectable()
export class SignupLimits {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async consume(limits: SignupLimit[]): Promise<void> {
    for (const limit of limits) {
      const [count, ttl] = (await this.redis.eval(CONSUME, 1, `rl:signup:${limit.key}`, limit.windowSeconds)) as [
        number,
        number,
      ];
      if (count > limit.max) {
        throw new HttpException(
          { code: 'RATE_LIMITED', message: 'too many requests, try again later', retryAfterSeconds: Math.max(1, ttl) },
          HttpStatus.TOO_MANY_REQUESTS,
        );
      }
    }
  }
}
