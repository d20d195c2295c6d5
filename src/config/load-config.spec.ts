import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load-config';

const key = Buffer.alloc(32, 1).toString('base64');
const valid = {
  APP_DATABASE_URL: 'postgres://massage_app@127.0.0.1:5432/massage',
  JWT_SECRET: 'x'.repeat(32),
  DATA_ENCRYPTION_KEY: key,
  LOOKUP_HASH_KEY: key,
};

describe('loadConfig', () => {
  it('applies defaults to a minimal valid environment', () => {
    const sut = loadConfig(valid);
    expect(sut.PORT).toBe(3000);
    expect(sut.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(sut.RUN_WORKERS).toBe(true);
  });

  it('names every invalid variable in one readable error', () => {
    const run = () => loadConfig({ ...valid, JWT_SECRET: 'short', DATA_ENCRYPTION_KEY: 'abc', PORT: 'x' });
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(/JWT_SECRET: .*32/);
    expect(run).toThrow(/DATA_ENCRYPTION_KEY: .*32 bytes/);
    expect(run).toThrow(/PORT/);
  });

  it('requires the database URL', () => {
    const { APP_DATABASE_URL: _omit, ...rest } = valid;
    expect(() => loadConfig(rest)).toThrow(/APP_DATABASE_URL/);
  });
});
