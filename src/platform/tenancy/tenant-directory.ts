import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG } from '../../config/load-config';
import type { AppConfig } from '../../config/config.schema';
import { PRISMA } from '../database/database.tokens';
import type { PrismaClient } from '../database/prisma';
import { TenantContext } from '../database/tenant-context';
import { logRedisErrors } from '../redis/redis-errors';

export type TenantStatus = 'pending' | 'active' | 'suspended' | 'rejected';

export interface TenantInfo {
  id: string;
  slug: string;
  name: string;
  status: TenantStatus;
  displayName: string;
  logoUrl: string | null;
  themeColor: string;
  timezone: string;
  locale: string;
}

const TTL_MS = 60_000;
const CHANNEL = 'tenant-changed';

/**
 * Public store directory (the tenants table is readable by anyone) with a per-process cache.
 * Every process drops its entry when any process announces a change over Redis, so a
 * suspension takes effect everywhere at once; the TTL only bounds a missed message.
 */
@Injectable()
export class TenantDirectory implements OnModuleInit, OnApplicationShutdown {
  private readonly bySlug = new Map<string, { at: number; info: TenantInfo | null }>();
  private subscriber?: Redis;
  private publisher?: Redis;
  private readonly channel: string;

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tenantContext: TenantContext,
  ) {
    this.channel = `${config.REDIS_PREFIX}:${CHANNEL}`;
  }

  async onModuleInit(): Promise<void> {
    this.publisher = logRedisErrors(
      new Redis(this.config.REDIS_URL, { maxRetriesPerRequest: 2 }),
      'tenant directory publisher',
    );
    this.subscriber = logRedisErrors(
      new Redis(this.config.REDIS_URL, { maxRetriesPerRequest: null }),
      'tenant directory subscriber',
    );
    this.subscriber.on('message', () => this.bySlug.clear());
    await this.subscriber.subscribe(this.channel);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.subscriber?.quit(), this.publisher?.quit()].map((p) => p?.catch(() => undefined)));
  }

  async findBySlug(slug: string): Promise<TenantInfo | null> {
    const hit = this.bySlug.get(slug);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.info;
    const row = await this.prisma.tenant.findUnique({ where: { slug } });
    const info = row ? toInfo(row) : null;
    this.bySlug.set(slug, { at: Date.now(), info });
    return info;
  }

  /** The cached entry when it is warm; never touches the database (see CurrentStore). */
  peek(id: string): TenantInfo | undefined {
    for (const entry of this.bySlug.values()) {
      if (entry.info?.id === id && Date.now() - entry.at < TTL_MS) return entry.info;
    }
    return undefined;
  }

  /** Caches a row read elsewhere (inside a unit of work), so the next peek finds it. */
  remember(row: Parameters<typeof toInfo>[0]): TenantInfo {
    const info = toInfo(row);
    this.bySlug.set(info.slug, { at: Date.now(), info });
    return info;
  }

  async findById(id: string): Promise<TenantInfo | null> {
    const hit = this.peek(id);
    if (hit) return hit;
    const row = await this.prisma.tenant.findUnique({ where: { id } });
    return row ? this.remember(row) : null;
  }

  /**
   * Call after any change to a tenant row (status, branding). Inside a unit of work the caches
   * are dropped once it commits; dropping them earlier would let a concurrent read cache the old row.
   */
  async invalidate(): Promise<void> {
    await this.tenantContext.afterCommit(async () => {
      this.bySlug.clear();
      await this.publisher?.publish(this.channel, '1');
    });
  }
}

function toInfo(row: {
  id: string;
  slug: string;
  name: string;
  status: string;
  displayName: string;
  logoUrl: string | null;
  themeColor: string;
  timezone: string;
  locale: string;
}): TenantInfo {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    status: row.status as TenantStatus,
    displayName: row.displayName,
    logoUrl: row.logoUrl,
    themeColor: row.themeColor,
    timezone: row.timezone,
    locale: row.locale,
  };
}
