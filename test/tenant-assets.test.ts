import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';

describe('tenant brand assets', () => {
  let db: TestDatabase;
  let t: TestApp;
  beforeAll(async () => {
    db = await createTestDatabase();
    t = await createTestApp(db, { RUN_WORKERS: 'false' });
  });
  afterAll(async () => {
    await t?.close();
    await db?.drop();
  });

  it('serves a store logo with a script-blocking CSP', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/tenant-assets/jingan-spa/logo.svg' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/image\/svg\+xml/);
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.body).toContain('<svg');
  });

  it('never serves the store definitions or anything outside tenants/', async () => {
    for (const url of [
      '/tenant-assets/jingan-spa/tenant.yaml',
      '/tenant-assets/platform.yaml',
      '/tenant-assets/../package.json',
      '/tenant-assets/%2e%2e/package.json',
    ]) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.body).not.toContain('password');
    }
  });
});
