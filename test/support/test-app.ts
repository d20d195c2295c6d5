import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app.factory';
import type { AppConfig } from '../../src/config/config.schema';
import { loadConfig } from '../../src/config/load-config';
import type { TestDatabase } from './test-database';

const key = () => randomBytes(32).toString('base64');

/** Config for one test file: its own database and its own Redis namespace. */
export function testConfig(db: TestDatabase, overrides: Record<string, string> = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    APP_DATABASE_URL: db.appUrl,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_PREFIX: `test-${randomBytes(5).toString('hex')}`,
    JWT_SECRET: randomBytes(32).toString('hex'),
    DATA_ENCRYPTION_KEY: key(),
    LOOKUP_HASH_KEY: key(),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    BASE_DOMAIN: 'massage.test',
    PUBLIC_URL: 'http://massage.test',
    DB_POOL_MAX: '4',
    ...overrides,
  });
}

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  close(): Promise<void>;
}

export async function createTestApp(db: TestDatabase, overrides: Record<string, string> = {}): Promise<TestApp> {
  const config = testConfig(db, overrides);
  const app = await createApp(config);
  await app.getHttpAdapter().getInstance().ready();
  return { app, config, close: () => app.close() };
}
