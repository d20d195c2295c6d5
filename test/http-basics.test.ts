import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { createTestApp, type TestApp } from './support/test-app';

describe('HTTP skeleton', () => {
  let db: TestDatabase;
  let t: TestApp;
  const warnings: string[] = [];
  const onWarning = (w: Error & { code?: string }) => warnings.push(w.code ?? w.name);

  beforeAll(async () => {
    process.on('warning', onWarning);
    db = await createTestDatabase();
    t = await createTestApp(db, { BODY_LIMIT_BYTES: '2048' });
  });
  afterAll(async () => {
    process.off('warning', onWarning);
    await t?.close();
    await db?.drop();
  });

  it('starts without warnings from Fastify (one error handler, ours: no FSTWRN004)', async () => {
    await new Promise((r) => setImmediate(r)); // process warnings are emitted on the next tick
    expect(warnings.filter((code) => code.startsWith('FST'))).toEqual([]);
  });

  it('reports PostgreSQL and Redis on /health with a request id', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'req-12345678' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', checks: { postgres: 'up', redis: 'up' } });
    expect(res.headers['x-request-id']).toBe('req-12345678');
  });

  it('serves the OpenAPI document', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/docs-json' });
    expect(res.statusCode).toBe(200);
    expect(res.json().paths['/health']).toBeDefined();
    const ui = await t.app.inject({ method: 'GET', url: '/api/docs' });
    expect(ui.statusCode).toBe(200);
  });

  it('answers unknown routes with the JSON error shape', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
  });
});
