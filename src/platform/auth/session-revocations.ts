import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG } from '../../config/load-config';
import type { AppConfig } from '../../config/config.schema';
import { logRedisErrors } from '../redis/redis-errors';
import { REDIS } from '../redis/redis.module';

/** Sorted set: member = session id, score = epoch ms until which its access tokens could live. */
const SET = 'revoked-sessions';
/** Drops expired entries and reloads from Redis: bounds what a silently dead subscription could miss. */
const SWEEP_MS = 30_000;

/**
 * Access tokens are stateless, so an ended session (logout, refresh-token reuse) is remembered
 * in Redis for as long as its last access token can live; the auth guard rejects it at once.
 *
 * The guard asks on every authenticated request, so each process mirrors the (small) set of
 * revoked sessions in memory: it subscribes to revocations first, then loads the set (one
 * ZRANGEBYSCORE, however large the rest of Redis is), and answers from memory from then on.
 * Whenever the subscription is not known to be live (start-up, a dropped connection until it has
 * re-subscribed and reloaded) it asks Redis instead, so a revocation is never missed; the mirror
 * only saves the round trip.
 */
@Injectable()
export class SessionRevocations implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(SessionRevocations.name);
  /** sessionId → epoch ms until which it stays revoked. */
  private readonly revoked = new Map<string, number>();
  private subscriber?: Redis;
  private mirrored = false;
  private sweeper?: NodeJS.Timeout;
  private readonly channel: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.channel = `${config.REDIS_PREFIX}:session-revoked`;
  }

  async onModuleInit(): Promise<void> {
    const sub = logRedisErrors(
      new Redis(this.config.REDIS_URL, { maxRetriesPerRequest: null, keepAlive: 10_000 }),
      'revoked sessions subscriber',
    );
    this.subscriber = sub;
    sub.on('message', (_channel: string, message: string) => {
      const [sessionId, until] = message.split(' ');
      if (sessionId && until) this.revoked.set(sessionId, Number(until));
    });
    sub.on('close', () => (this.mirrored = false));
    // After a reconnect the sessions revoked meanwhile are reloaded.
    sub.on('ready', () => void this.reload());
    await this.reload();
    this.sweeper = setInterval(() => void this.sweep(), SWEEP_MS).unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.sweeper);
    this.mirrored = false;
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }

  async revoke(sessionId: string): Promise<void> {
    const until = Date.now() + (this.config.ACCESS_TOKEN_TTL_SECONDS + 60) * 1000;
    await this.redis.zadd(SET, until, sessionId);
    this.revoked.set(sessionId, until);
    await this.redis.publish(this.channel, `${sessionId} ${until}`);
  }

  async isRevoked(sessionId: string): Promise<boolean> {
    const now = Date.now();
    if (!this.mirrored || this.subscriber?.status !== 'ready') {
      const until = await this.redis.zscore(SET, sessionId);
      return until !== null && Number(until) > now;
    }
    const until = this.revoked.get(sessionId);
    return until !== undefined && until > now;
  }

  /** Subscribes (acknowledged) before it reads, so no revocation falls between the two. */
  private async reload(): Promise<void> {
    try {
      await this.subscriber?.subscribe(this.channel);
      const entries = await this.redis.zrangebyscore(SET, Date.now(), '+inf', 'WITHSCORES');
      for (let i = 0; i + 1 < entries.length; i += 2) this.revoked.set(entries[i]!, Number(entries[i + 1]));
      this.mirrored = this.subscriber?.status === 'ready';
    } catch (e) {
      this.mirrored = false;
      this.logger.warn(`revoked sessions not mirrored, asking Redis per request: ${(e as Error).message}`);
    }
  }

  private async sweep(): Promise<void> {
    const now = Date.now();
    for (const [id, until] of this.revoked) if (until <= now) this.revoked.delete(id);
    // Expired members leave the shared set too (any process may do it; it is idempotent).
    await this.redis.zremrangebyscore(SET, '-inf', now).catch(() => undefined);
    await this.reload();
  }
}
