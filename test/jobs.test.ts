import { randomBytes, randomUUID } from 'node:crypto';
import { Global, Inject, Injectable, Module, type DynamicModule, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Queue, type Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AppConfig } from '../src/config/config.schema';
import { APP_CONFIG } from '../src/config/load-config';
import { DatabaseModule } from '../src/platform/database/database.module';
import { PRISMA } from '../src/platform/database/database.tokens';
import type { PrismaClient } from '../src/platform/database/prisma';
import { TenantContext } from '../src/platform/database/tenant-context';
import { MailService } from '../src/platform/mail/mail.service';
import type { JobDefinitions } from '../src/platform/queue/job-definitions';
import { JobHandler } from '../src/platform/queue/job-handler.decorator';
import { JobQueue } from '../src/platform/queue/job-queue';
import { QueueModule } from '../src/platform/queue/queue.module';
import { Factory, type TestTenant } from './support/factories';
import { SmtpCapture } from './support/smtp-capture';
import { createTestApp, testConfig, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { waitForJobsToFinish } from './support/wait-for-jobs';

declare module '../src/platform/queue/job-definitions' {
  interface JobPayloads {
    'test.count-customers': { tenantId: string };
    'test.guarded': { tenantId: string; marker: string };
    'test.platform-peek': { marker: string };
  }
}

const TEST_JOBS: JobDefinitions = {
  'test.count-customers': { queue: 'test', scope: 'tenant', attempts: 1 },
  'test.guarded': { queue: 'test', scope: 'tenant', attempts: 3 },
  'test.platform-peek': { queue: 'test-platform', scope: 'platform', attempts: 1 },
};

/** Handlers that report what they could see. */
@Injectable()
class ProbeJobs {
  readonly ran: string[] = [];

  constructor(
    private readonly tenantContext: TenantContext,
    @Inject(PRISMA) private readonly prisma: PrismaClient,
  ) {}

  @JobHandler('test.count-customers')
  async count(): Promise<{ count: number; tenantIds: string[] }> {
    const rows = await this.tenantContext.db().customer.findMany({ select: { tenantId: true } });
    return { count: rows.length, tenantIds: [...new Set(rows.map((r) => r.tenantId))] };
  }

  @JobHandler('test.guarded')
  async guarded(payload: { marker: string }): Promise<void> {
    this.ran.push(payload.marker);
  }

  @JobHandler('test.platform-peek')
  async peek(): Promise<{ hasContext: boolean; customers: number }> {
    // Outside a tenant context the app role sees no tenant rows at all (fail closed).
    return { hasContext: this.tenantContext.hasContext(), customers: await this.prisma.customer.count() };
  }
}

@Injectable()
class DuplicateCount {
  @JobHandler('test.count-customers')
  async again(): Promise<void> {}
}

function jobsContext(config: AppConfig, defs: JobDefinitions, providers: Array<new (...a: never[]) => unknown>) {
  @Global()
  @Module({ providers: [{ provide: APP_CONFIG, useValue: config }], exports: [APP_CONFIG] })
  class TestConfigModule {}
  @Module({ imports: [TestConfigModule, DatabaseModule, QueueModule.forRoot(defs)], providers })
  class TestJobsModule {}
  return NestFactory.createApplicationContext(TestJobsModule as unknown as DynamicModule['module'], {
    logger: false,
    abortOnError: false,
  });
}

async function seedCustomers(f: Factory, tenant: TestTenant, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await f.query(
      `INSERT INTO customers (tenant_id, phone_enc, phone_hash, phone_masked) VALUES ($1, $2, $3, '138****0000')`,
      [tenant.id, randomBytes(16), randomBytes(32)],
    );
  }
}

describe('background jobs', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let ctx: INestApplicationContext;
  let f: Factory;
  let a: TestTenant;
  let b: TestTenant;

  beforeAll(async () => {
    db = await createTestDatabase();
    config = testConfig(db);
    ctx = await jobsContext(config, TEST_JOBS, [ProbeJobs]);
    f = await Factory.create(db);
    a = await f.newTenant();
    b = await f.newTenant();
    await seedCustomers(f, a, 2);
    await seedCustomers(f, b, 3);
  });
  afterAll(async () => {
    await ctx?.close();
    await f?.close();
    await db?.drop();
  });

  async function finished(queue: string, id: string): Promise<Job> {
    await waitForJobsToFinish(ctx);
    const job = await ctx.get(JobQueue).queue(queue).getJob(id);
    if (!job) throw new Error(`job ${id} is gone`);
    return job;
  }

  it("runs a tenant job inside its store's RLS context: store A's job sees only A's rows", async () => {
    const jobs = ctx.get(JobQueue);
    const idA = await jobs.enqueue('test.count-customers', { tenantId: a.id });
    const idB = await jobs.enqueue('test.count-customers', { tenantId: b.id });
    const [jobA, jobB] = [await finished('test', idA), await finished('test', idB)];
    expect(jobA.returnvalue).toEqual({ count: 2, tenantIds: [a.id] });
    expect(jobB.returnvalue).toEqual({ count: 3, tenantIds: [b.id] });
  });

  it('refuses a tenant job whose payload names no tenant, without retries, and never runs its handler', async () => {
    // A producer that bypasses JobQueue (another deployment, a hand-made job) is still refused.
    const raw = new Queue('test', { connection: { url: config.REDIS_URL }, prefix: config.REDIS_PREFIX });
    try {
      const noTenant = await raw.add('test.guarded', { marker: 'no-tenant' }, { attempts: 3 });
      const badTenant = await raw.add('test.guarded', { marker: 'bad', tenantId: 'store-a' }, { attempts: 3 });
      for (const id of [noTenant.id!, badTenant.id!]) {
        const job = await finished('test', id);
        expect(await job.getState()).toBe('failed');
        expect(job.attemptsMade).toBe(1);
        expect(job.failedReason).toMatch(/refused: payload has no valid tenantId/);
      }
      expect(ctx.get(ProbeJobs).ran).toEqual([]);

      const ok = await ctx.get(JobQueue).enqueue('test.guarded', { tenantId: a.id, marker: 'ok' });
      await finished('test', ok);
      expect(ctx.get(ProbeJobs).ran).toEqual(['ok']);
    } finally {
      await raw.close();
    }
  });

  it('refuses at the producer too', async () => {
    const jobs = ctx.get(JobQueue);
    await expect(jobs.enqueue('test.guarded', { marker: 'x' } as never)).rejects.toThrow(/no valid tenantId/);
    // Inside store A's context, a job for store B is a bug.
    await expect(
      ctx.get(TenantContext).run(a.id, () => jobs.enqueue('test.count-customers', { tenantId: b.id })),
    ).rejects.toThrow(/another store/);
  });

  it('queues the jobs of a unit of work after its commit, one addBulk per queue; none when it rolls back', async () => {
    const jobs = ctx.get(JobQueue);
    const tenantContext = ctx.get(TenantContext);
    const queue = jobs.queue('test');
    const addBulk = vi.spyOn(queue, 'addBulk');
    const add = vi.spyOn(queue, 'add');
    try {
      const ids = await tenantContext.run(a.id, async () => {
        const first = await jobs.enqueue('test.guarded', { tenantId: a.id, marker: 'bulk-1' });
        const second = await jobs.enqueue('test.guarded', { tenantId: a.id, marker: 'bulk-2' });
        expect(addBulk).not.toHaveBeenCalled(); // nothing reaches Redis before the commit
        return [first, second];
      });
      expect(addBulk).toHaveBeenCalledTimes(1);
      expect(addBulk.mock.calls[0]![0].map((j) => j.opts?.jobId)).toEqual(ids);
      expect(add).not.toHaveBeenCalled();

      const rolledBack = tenantContext.run(a.id, async () => {
        await jobs.enqueue('test.guarded', { tenantId: a.id, marker: 'rolled-back' });
        throw new Error('the work failed');
      });
      await expect(rolledBack).rejects.toThrow('the work failed');
      await waitForJobsToFinish(ctx);
      expect(ctx.get(ProbeJobs).ran).toEqual(expect.arrayContaining(['bulk-1', 'bulk-2']));
      expect(ctx.get(ProbeJobs).ran).not.toContain('rolled-back');
    } finally {
      addBulk.mockRestore();
      add.mockRestore();
    }
  });

  it('runs platform jobs without a tenant context, where tenant rows are invisible', async () => {
    const id = await ctx.get(JobQueue).enqueue('test.platform-peek', { marker: 'p' });
    const job = await finished('test-platform', id);
    expect(job.returnvalue).toEqual({ hasContext: false, customers: 0 });
  });

  it('dedupes jobs by id', async () => {
    const jobs = ctx.get(JobQueue);
    const jobId = `dedupe-${randomUUID()}`;
    const first = await jobs.enqueue('test.guarded', { tenantId: a.id, marker: 'dedupe' }, { jobId, delayMs: 300 });
    const second = await jobs.enqueue('test.guarded', { tenantId: a.id, marker: 'dedupe' }, { jobId, delayMs: 300 });
    expect(second).toBe(first);
    await waitForJobsToFinish(ctx);
    expect(ctx.get(ProbeJobs).ran.filter((m) => m === 'dedupe')).toHaveLength(1);
  });

  it('fails at boot when a declared job has no handler', async () => {
    const defs = { ...TEST_JOBS, 'test.orphan': { queue: 'test', scope: 'tenant' as const, attempts: 1 } };
    // createApplicationContext runs the init hooks, so the boot itself fails.
    await expect(jobsContext(testConfig(db, { RUN_WORKERS: 'false' }), defs, [ProbeJobs])).rejects.toThrow(
      /job "test.orphan" has no @JobHandler/,
    );
  });

  it('fails at boot when a job has two handlers', async () => {
    await expect(
      jobsContext(testConfig(db, { RUN_WORKERS: 'false' }), TEST_JOBS, [ProbeJobs, DuplicateCount]),
    ).rejects.toThrow(/two handlers: ProbeJobs.count and DuplicateCount.again/);
  });
});

describe('mail.send job', () => {
  let db: TestDatabase;
  let t: TestApp;
  const smtp = new SmtpCapture();

  beforeAll(async () => {
    db = await createTestDatabase();
    const url = await smtp.start();
    t = await createTestApp(db, { SMTP_URL: url, QUEUE_BACKOFF_MS: '200' });
  });
  afterAll(async () => {
    await t?.close();
    await smtp.stop();
    await db?.drop();
  });

  it('retries a failing delivery with exponential backoff until it goes through', async () => {
    smtp.failNext(2);
    const id = await t.app.get(MailService).send('owner@example.com', 'store.rejected', 'zh-CN', {
      ownerName: '王',
      storeName: '重试门店',
      reason: '测试重试',
    });
    const mail = await smtp.waitFor('owner@example.com');
    expect(mail.subject).toContain('重试门店');
    expect(smtp.refused).toBe(2);
    await waitForJobsToFinish(t.app);
    const job = await t.app.get(JobQueue).queue('mail').getJob(id);
    expect(job?.opts.attempts).toBe(5);
    expect(job?.opts.backoff).toEqual({ type: 'exponential', delay: 200 });
    expect(job?.attemptsMade).toBe(3);
    expect(await job?.getState()).toBe('completed');
    // Two retries waited 200 ms and then 400 ms.
    expect(job!.finishedOn! - job!.timestamp).toBeGreaterThanOrEqual(600);
  });
});
