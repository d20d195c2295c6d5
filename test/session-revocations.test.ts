import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SessionRevocations } from '../src/platform/auth/session-revocations';
import type { AppConfig } from '../src/config/config.schema';
import { testConfig } from './support/test-app';
import type { TestDatabase } from './support/test-database';

/** Two API processes sharing one Redis namespace, without the rest of the app. */
const config: AppConfig = testConfig({ appUrl: 'postgres://unused@127.0.0.1/unused' } as TestDatabase);
const opened: Array<{ r: SessionRevocations; redis: Redis }> = [];

async function processMirror(): Promise<{ r: SessionRevocations; redis: Redis }> {
  const redis = new Redis(config.REDIS_URL, { keyPrefix: `${config.REDIS_PREFIX}:` });
  const r = new SessionRevocations(redis, config);
  await r.onModuleInit();
  opened.push({ r, redis });
  return { r, redis };
}

afterEach(async () => {
  for (const { r, redis } of opened.splice(0)) {
    await r.onApplicationShutdown();
    redis.disconnect();
  }
});

describe('revoked sessions mirrored in each process', () => {
  it('a session revoked in one process is rejected by another without asking Redis per request', async () => {
    const a = await processMirror();
    const b = await processMirror();
    const asked = vi.spyOn(b.redis, 'zscore');
    const session = randomUUID();

    expect(await b.r.isRevoked(session)).toBe(false);
    await a.r.revoke(session);
    await vi.waitFor(async () => expect(await b.r.isRevoked(session)).toBe(true), { timeout: 2000 });
    expect(await b.r.isRevoked(randomUUID())).toBe(false);
    expect(asked).not.toHaveBeenCalled();
  });

  it('a process that starts later knows the sessions revoked before it started', async () => {
    const a = await processMirror();
    const session = randomUUID();
    await a.r.revoke(session);

    const late = await processMirror();
    const asked = vi.spyOn(late.redis, 'zscore');
    expect(await late.r.isRevoked(session)).toBe(true);
    expect(asked).not.toHaveBeenCalled();
  });

  it('while its subscription is down a process asks Redis, so nothing revoked meanwhile is missed', async () => {
    const b = await processMirror();
    const subscriber = (b.r as unknown as { subscriber: Redis }).subscriber;
    subscriber.disconnect();
    await vi.waitFor(() => expect(subscriber.status).toBe('end'));
    const asked = vi.spyOn(b.redis, 'zscore');
    const session = randomUUID();
    // Written straight to Redis, as a process whose publish was lost would leave it.
    await b.redis.zadd('revoked-sessions', Date.now() + 60_000, session);

    expect(await b.r.isRevoked(session)).toBe(true);
    expect(asked).toHaveBeenCalled();
    // Once re-subscribed it has reloaded the key and answers from memory again.
    await subscriber.connect();
    await vi.waitFor(
      async () => {
        asked.mockClear();
        expect(await b.r.isRevoked(session)).toBe(true);
        expect(asked).not.toHaveBeenCalled();
      },
      { timeout: 5000 },
    );
  });
});
