import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG } from '../../config/load-config';
import type { AppConfig } from '../../config/config.schema';
import { REDIS } from '../../platform/redis/redis.module';

/**
 * At most one stored position per technician per interval. `SET NX PX` is atomic, so of any
 * number of parallel pings exactly one wins the slot; the rest are accepted and dropped without
 * touching the database.
 */
@Injectable()
export class LocationThrottle {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private key(tenantId: string, technicianId: string): string {
    return `tech-loc:${tenantId}:${technicianId}`;
  }

  /** 0 when this call may store a position, else the milliseconds until the next one may. */
  async acquire(tenantId: string, technicianId: string): Promise<number> {
    const interval = this.config.TECHNICIAN_LOCATION_INTERVAL_MS;
    const key = this.key(tenantId, technicianId);
    const ok = await this.redis.set(key, '1', 'PX', interval, 'NX');
    if (ok === 'OK') return 0;
    const ttl = await this.redis.pttl(key);
    return ttl > 0 ? ttl : 1;
  }

  /** Gives the slot back when the position was refused (e.g. not on duty). */
  async release(tenantId: string, technicianId: string): Promise<void> {
    await this.redis.del(this.key(tenantId, technicianId));
  }
}
