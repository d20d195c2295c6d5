import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TenantContext } from '../src/platform/database/tenant-context';
import { RealtimeHub } from '../src/platform/realtime/realtime-hub';
import { createTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { Factory, type TestTenant } from './support/factories';
import { openSse } from './support/sse-client';

describe('realtime events across API processes', () => {
  let db: TestDatabase;
  let listener: TestApp; // the process holding the client's stream
  let producer: TestApp; // another process publishing (same Redis prefix)
  let f: Factory;
  let a: TestTenant;
  let b: TestTenant;
  let base: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    listener = await createTestApp(db, { RUN_WORKERS: 'false' });
    producer = await createTestApp(db, { RUN_WORKERS: 'false', REDIS_PREFIX: listener.config.REDIS_PREFIX });
    f = await Factory.create(db, listener.app);
    [a, b] = [await f.newTenant(), await f.newTenant()];
    await listener.app.listen({ port: 0, host: '127.0.0.1' });
    const address = listener.app.getHttpServer().address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => {
    await f?.close();
    await producer?.close();
    await listener?.close();
    await db?.drop();
  });

  it("delivers a customer's events from another process, and only theirs", async () => {
    const alice = await f.token({ id: crypto.randomUUID(), role: 'customer', tenantId: a.id });
    const bobId = crypto.randomUUID();
    const stream = await openSse(`${base}/t/${a.slug}/api/events`, alice);
    const hub = producer.app.get(RealtimeHub);
    const aliceId = JSON.parse(Buffer.from(alice.split('.')[1]!, 'base64url').toString()).sub as string;
    await new Promise((r) => setTimeout(r, 100)); // subscription is live before we publish
    await hub.publish(a.id, `customer:${bobId}`, { type: 'order.status', data: { orderId: 'bob' } });
    await hub.publish(b.id, `customer:${aliceId}`, { type: 'order.status', data: { orderId: 'other-store' } });
    await hub.publish(a.id, `customer:${aliceId}`, { type: 'order.status', data: { orderId: 'mine' } });
    const got = await stream.next('order.status');
    expect(got.data).toMatchObject({ orderId: 'mine' });
    await new Promise((r) => setTimeout(r, 200));
    expect(stream.events.map((e) => (e.data as { orderId: string }).orderId)).not.toContain('bob');
    expect(stream.events.map((e) => (e.data as { orderId: string }).orderId)).not.toContain('other-store');
    stream.close();
  });

  it('publishes from a unit of work only after it commits, never after a rollback', async () => {
    const staff = await f.newStaff(a, { role: 'store_manager' });
    const token = await f.token({ id: staff.id, role: 'store_manager', tenantId: a.id });
    const stream = await openSse(`${base}/t/${a.slug}/api/events`, token);
    await new Promise((r) => setTimeout(r, 100));
    const hub = producer.app.get(RealtimeHub);
    const ctx = producer.app.get(TenantContext);
    await expect(
      ctx.run(a.id, async () => {
        await hub.publish(a.id, 'staff', { type: 'sos', data: { n: 1 } });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await ctx.run(a.id, async () => hub.publish(a.id, 'staff', { type: 'sos', data: { n: 2 } }));
    expect((await stream.next('sos')).data).toMatchObject({ n: 2 });
    expect(stream.events).toHaveLength(0);
    stream.close();
  });

  it('refuses anonymous callers and tokens of another store', async () => {
    const anon = await fetch(`${base}/t/${a.slug}/api/events`);
    expect(anon.status).toBe(401);
    const other = await f.token({ id: crypto.randomUUID(), role: 'customer', tenantId: b.id });
    const res = await fetch(`${base}/t/${a.slug}/api/events`, { headers: { authorization: `Bearer ${other}` } });
    expect(res.status).toBe(403);
  });
});
