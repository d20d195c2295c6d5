import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG } from '../../config/load-config';
import type { AppConfig } from '../../config/config.schema';
import { REDIS } from '../redis/redis.module';

/**
 * Access tokens are stateless, so an ended session (logout, refresh-token reuse) is remembered
 * in Redis for as long as its last access token can live; the auth guard rejects it at once.
 */
@Injectable()
export class SessionRevocations {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async revoke(sessionId: string): Promise<void> {
    await this.redis.set(`revoked-session:${sessionId}`, '1', 'EX', this.config.ACCESS_TOKEN_TTL_SECONDS + 60);
  }

  async isRevoked(sessionId: string): Promise<boolean> {
    return (await this.redis.exists(`revoked-session:${sessionId}`)) === 1;
  }
}
