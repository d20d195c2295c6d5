import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG } from '../../config/load-config';
import type { AppConfig } from '../../config/config.schema';
import { TenantContext } from '../database/tenant-context';
import { logRedisErrors } from '../redis/redis-errors';

/** What a client receives: `type` names the event, `data` is its JSON payload. */
export interface RealtimeEvent {
  type: string;
  data: unknown;
  /** Set by the hub: when the event was published (ms since epoch). */
  at?: number;
}

/**
 * Topics are per store: `customer:{id}`, `technician:{id}`, `technicians` (every technician of
 * the store, e.g. the grab hall), `staff` (the store's staff consoles), `order:{id}`.
 */
export type Topic = string;

type Listener = (event: RealtimeEvent) => void;

/**
 * Real-time fan-out across API processes through Redis pub/sub. A process keeps one subscriber
 * connection and subscribes to a channel only while some local client listens to it. Publishing
 * inside a unit of work waits for the commit, so a client never hears of a change that rolled back.
 */
@Injectable()
export class RealtimeHub implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RealtimeHub.name);
  private readonly listeners = new Map<string, Set<Listener>>();
  private publisher!: Redis;
  private subscriber!: Redis;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tenantContext: TenantContext,
  ) {}

  onModuleInit(): void {
    this.publisher = logRedisErrors(
      new Redis(this.config.REDIS_URL, { maxRetriesPerRequest: 2 }),
      'realtime publisher',
    );
    this.subscriber = logRedisErrors(
      new Redis(this.config.REDIS_URL, { maxRetriesPerRequest: null }),
      'realtime subscriber',
    );
    this.subscriber.on('message', (channel: string, message: string) => this.deliver(channel, message));
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.subscriber?.quit(), this.publisher?.quit()].map((p) => p?.catch(() => undefined)));
  }

  async publish(tenantId: string, topic: Topic, event: RealtimeEvent): Promise<void> {
    const message = JSON.stringify({ ...event, at: Date.now() });
    await this.tenantContext.afterCommit(async () => {
      await this.publisher.publish(this.channel(tenantId, topic), message);
    });
  }

  /**
   * Several events of one store, sent after the commit as one Redis pipeline (one round trip)
   * instead of one PUBLISH each. Same messages, same order.
   */
  async publishAll(tenantId: string, items: ReadonlyArray<{ topic: Topic; event: RealtimeEvent }>): Promise<void> {
    if (items.length === 0) return;
    const at = Date.now();
    const messages = items.map((i) => [this.channel(tenantId, i.topic), JSON.stringify({ ...i.event, at })] as const);
    await this.tenantContext.afterCommit(async () => {
      const pipeline = this.publisher.pipeline();
      for (const [channel, message] of messages) pipeline.publish(channel, message);
      const results = (await pipeline.exec()) ?? [];
      const failed = results.find(([err]) => err);
      if (failed) throw failed[0];
    });
  }

  /** Listen to some topics of one store; returns the function that stops listening. */
  async subscribe(tenantId: string, topics: Topic[], listener: Listener): Promise<() => Promise<void>> {
    const channels = topics.map((t) => this.channel(tenantId, t));
    for (const channel of channels) {
      let set = this.listeners.get(channel);
      if (!set) {
        set = new Set();
        this.listeners.set(channel, set);
        await this.subscriber.subscribe(channel);
      }
      set.add(listener);
    }
    return async () => {
      for (const channel of channels) {
        const set = this.listeners.get(channel);
        if (!set) continue;
        set.delete(listener);
        if (set.size === 0) {
          this.listeners.delete(channel);
          await this.subscriber.unsubscribe(channel).catch(() => undefined);
        }
      }
    };
  }

  private channel(tenantId: string, topic: Topic): string {
    return `${this.config.REDIS_PREFIX}:rt:${tenantId}:${topic}`;
  }

  private deliver(channel: string, message: string): void {
    const set = this.listeners.get(channel);
    if (!set) return;
    let event: RealtimeEvent;
    try {
      event = JSON.parse(message) as RealtimeEvent;
    } catch {
      this.logger.warn({ channel }, 'dropped a malformed realtime message');
      return;
    }
    for (const listener of set) listener(event);
  }
}
