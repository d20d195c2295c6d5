import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG } from '../../config/load-config';
import type { AppConfig } from '../../config/config.schema';
import { logRedisErrors } from './redis-errors';

export const REDIS = Symbol('REDIS');

/** One shared command connection. BullMQ and pub/sub subscribers open their own. */
@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        logRedisErrors(
          new Redis(config.REDIS_URL, {
            keyPrefix: `${config.REDIS_PREFIX}:`,
            maxRetriesPerRequest: 2,
            lazyConnect: false,
          }),
          'commands',
        ),
    },
  ],
  exports: [REDIS],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
