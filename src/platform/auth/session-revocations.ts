import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG } from '../../config/load-config';
import type { AppConfig } from '../../config/config.schema';
import { REDIS } from '../redis/redis.module';

const KEY = 'revoked-session:';
/** Drops expired entries and reloads from Redis: bounds what a silently dead subscription could miss. */
const SWEEP_MS = 30_000;

/**
 * Access tokens are stateless, so an ended session (logout, refresh-token reuse) is remembered
 * in Redis for as long as its last access token can live; the auth guard rejects it at once.
 *
 * The guard asks on every authenticated request, so each process mirrors the (small) set of
 * revoked sessions in memory: it subscribes to revocations first, then loads the keys already in
 * Redis, and answers from memory from then on. Whenever the subscription is not known to be live
 * (start-up, a dropped connection until it has re-subscribed and reloaded) it asks Redis instead,
 * so a revocation is never missed; the mirror only saves the round trip.
 */
@Injectable()
export class SessionRevocations implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(SessionRevocations.name);
  /** sessionId → epoch ms when its Redis key expires. */
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
    const sub = new Redis(this.config.REDIS_URL, { maxRetriesPerRequest: null, keepAlive: 10_000 });
    this.subscriber = sub;
    sub.on('message', (_channel: string, sessionId: string) => this.remember(sessionId, this.ttlMs()));
    sub.on('close', () => (this.mirrored = false));
    // After a reconnect the keys revoked meanwhile are reloaded.
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
    await this.redis.set(`${KEY}${sessionId}`, '1', 'EX', this.config.ACCESS_TOKEN_TTL_SECONDS + 60);
    this.remember(sessionId, this.ttlMs());
    await this.redis.publish(this.channel, sessionId);
  }

  async isRevoked(sessionId: string): Promise<boolean> {
    if (!this.mirrored || this.subscriber?.status !== 'ready')
      return (await this.redis.exists(`${KEY}${sessionId}`)) === 1;
    const until = this.revoked.get(sessionId);
    return until !== undefined && until > Date.now();
  }

  /** Subscribes (acknowledged) before it scans, so no revocation falls between the two. */
  private async reload(): Promise<void> {
    try {
      await this.subscriber?.subscribe(this.channel);
      // SCAN patterns are not prefixed by ioredis; the keys it returns carry the prefix.
      const prefix = `${this.config.REDIS_PREFIX}:${KEY}`;
      let cursor = '0';
      do {
        const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        cursor = next;
        const ids = keys.map((k) => k.slice(prefix.length));
        const ttls = ids.length ? await this.pttls(ids) : [];
        ids.forEach((id, i) => {
          const ttl = ttls[i] ?? -2;
          if (ttl !== -2) this.remember(id, ttl < 0 ? this.ttlMs() : ttl);
        });
      } while (cursor !== '0');
      this.mirrored = this.subscriber?.status === 'ready';
    } catch (e) {
      this.mirrored = false;
      this.logger.warn(`revoked sessions not mirrored, asking Redis per request: ${(e as Error).message}`);
    }
  }

  private async pttls(ids: string[]): Promise<number[]> {
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.pttl(`${KEY}${id}`);
    const results = (await pipeline.exec()) ?? [];
    return results.map(([err, ttl]) => (err ? -2 : Number(ttl)));
  }

  private remember(sessionId: string, ttlMs: number): void {
    this.revoked.set(sessionId, Date.now() + ttlMs);
  }

  private async sweep(): Promise<void> {
    const now = Date.now();
    for (const [id, until] of this.revoked) if (until <= now) this.revoked.delete(id);
    await this.reload();
  }

  private ttlMs(): number {
    return (this.config.ACCESS_TOKEN_TTL_SECONDS + 60) * 1000;
  }
}
