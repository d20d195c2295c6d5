import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobQueue } from '../src/platform/queue/job-queue';
import { Factory } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { DispatchWorld, eventually, fireDispatchJob } from './support/dispatch-fixtures';

/** One set of keys for every app of this file, so tokens and sealed phones work across restarts. */
const SECRETS = {
  JWT_SECRET: randomBytes(32).toString('hex'),
  DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  LOOKUP_HASH_KEY: randomBytes(32).toString('base64'),
};

describe('auto-dispatch survives a worker restart', () => {
  let db: TestDatabase;
  let fixtures: TestApp;
  let f: Factory;

  beforeAll(async () => {
    db = await createTestDatabase();
    fixtures = await createTestApp(db, { ...SECRETS, RUN_WORKERS: 'false' });
    f = await Factory.create(db, fixtures.app);
  });
  afterAll(async () => {
    await f?.close();
    await fixtures?.close();
    await db?.drop();
  });

  it('worker stops with an offer pending; a new one on the same Redis prefix expires it once and carries on', async () => {
    const prefix = `dsp-${randomUUID().slice(0, 8)}`;
    const w = await DispatchWorld.create(f, { mode: 'auto', offerTimeoutSeconds: 600, radiusStepsM: [5000] });
    await w.tech({ name: 'R1', km: 0.5 });
    await w.tech({ name: 'R2', km: 1 });
    await w.tech({ name: 'R3', km: 1.5 });

    const first = await createTestApp(db, { ...SECRETS, RUN_WORKERS: 'true', REDIS_PREFIX: prefix });
    const c = await w.customer(first);
    const order = await w.order(first, c);
    await w.pay(first, order);
    await eventually(async () => (await w.openOffer(order.id))?.technician === 'R1');
    const offer1 = (await w.openOffer(order.id))!;
    await first.close(); // the worker dies with R1's timeout still delayed in Redis

    // the deadline passes while no worker runs
    await f.query(
      `UPDATE dispatch_offers SET offered_at = now() - interval '1 hour', expires_at = now() - interval '1 second'
        WHERE id = $1`,
      [offer1.id],
    );
    expect((await w.openOffer(order.id))?.technician).toBe('R1');

    const second = await createTestApp(db, { ...SECRETS, RUN_WORKERS: 'true', REDIS_PREFIX: prefix });
    try {
      const jobs = second.app.get(JobQueue);
      // the timeout survived in Redis; when its time comes the new worker runs it: R1 expires, R2 is offered
      expect(await fireDispatchJob(second, 'dispatch.offer_timeout', { offerId: offer1.id })).toBe('offered');
      expect((await w.openOffer(order.id))?.technician).toBe('R2');
      // replays, as a crashed-and-retried producer would send them, change nothing
      await jobs.enqueue('dispatch.offer_timeout', { tenantId: w.a.id, offerId: offer1.id }, { jobId: 'dup-timeout' });
      await jobs.enqueue('dispatch.start', { tenantId: w.a.id, orderId: order.id }, { jobId: 'dup-start' });
      const queue = jobs.queue('dispatch');
      await eventually(async () => {
        const [a, b] = await Promise.all([queue.getJob('dup-timeout'), queue.getJob('dup-start')]);
        return a?.finishedOn !== undefined && b?.finishedOn !== undefined;
      });
      expect((await queue.getJob('dup-timeout'))?.returnvalue).toBe('moved-on');
      expect((await queue.getJob('dup-start'))?.returnvalue).toBe('running');

      // R2 lets it lapse too; R3 takes it
      expect(await w.expireOpenOffer(second, order.id)).toBe('offered');
      expect((await w.openOffer(order.id))?.technician).toBe('R3');
      const offer3 = (await w.openOffer(order.id))!;
      const res = await second.app.inject({
        method: 'POST',
        url: `/t/${w.a.slug}/api/dispatch/offers/${offer3.id}/accept`,
        headers: { authorization: `Bearer ${await w.techToken(second, 'R3')}` },
      });
      expect(res.statusCode, res.body).toBe(200);

      expect(await w.story(order.id)).toEqual([
        'offered:R1',
        'expired:R1',
        'offered:R2',
        'expired:R2',
        'offered:R3',
        'assigned:R3',
      ]);
      const offers = await f.query<{ technician_id: string; n: number; statuses: string[] }>(
        `SELECT technician_id, count(*)::int AS n, array_agg(status) AS statuses
           FROM dispatch_offers WHERE order_id = $1 GROUP BY technician_id`,
        [order.id],
      );
      expect(offers.rows.map((r) => [w.name(r.technician_id), r.n, r.statuses]).sort()).toEqual([
        ['R1', 1, ['expired']],
        ['R2', 1, ['expired']],
        ['R3', 1, ['accepted']],
      ]);
    } finally {
      await second.close();
    }
  });
});
