import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { APP_CONFIG } from '../../config/load-config';
import type { AppConfig } from '../../config/config.schema';
import { TenantContext } from '../database/tenant-context';
import { JobRegistry } from './job-registry';
import { tenantOfJob } from './job-tenant';

/**
 * One BullMQ worker per queue, started only where RUN_WORKERS is set. A tenant job runs through
 * TenantContext.run (the same RLS runner as HTTP), so its handler sees only its store's rows —
 * or, when its definition says `ownUnitsOfWork`, opens its units of work itself.
 */
@Injectable()
export class JobWorkers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('jobs');
  private readonly workers: Worker[] = [];

  constructor(
    private readonly registry: JobRegistry,
    private readonly tenantContext: TenantContext,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.RUN_WORKERS) return;
    for (const queueName of this.registry.queueNames()) {
      const concurrency = Math.max(
        ...this.registry.jobsOf(queueName).map((n) => this.registry.definition(n).concurrency ?? 5),
      );
      const worker = new Worker(queueName, (job) => this.process(job), {
        connection: { url: this.config.REDIS_URL, maxRetriesPerRequest: null },
        prefix: this.config.REDIS_PREFIX,
        concurrency,
      });
      worker.on('failed', (job, err) => {
        const final = !job || err instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
        this.logger[final ? 'error' : 'warn']({
          msg: final ? 'job failed for good' : 'job failed, will retry',
          job: job?.name,
          jobId: job?.id,
          attemptsMade: job?.attemptsMade,
          err: err.message,
        });
      });
      worker.on('error', (err) => this.logger.error({ msg: 'worker error', queue: queueName, err: err.message }));
      this.workers.push(worker);
    }
    await Promise.all(this.workers.map((w) => w.waitUntilReady()));
  }

  async beforeApplicationShutdown(): Promise<void> {
    // Let running jobs finish before the database and Redis connections go away.
    await Promise.all(this.workers.splice(0).map((w) => w.close()));
  }

  private async process(job: Job): Promise<unknown> {
    const def = this.registry.definitions[job.name];
    const handler = this.registry.handler(job.name);
    if (!def || !handler) throw new UnrecoverableError(`no handler for job "${job.name}"`);
    let tenantId: string | null;
    try {
      tenantId = tenantOfJob(def.scope, job.name, job.data);
    } catch (e) {
      this.logger.error({ msg: 'job refused', job: job.name, jobId: job.id, reason: (e as Error).message });
      throw e;
    }
    const payload = job.data as Record<string, unknown>;
    if (tenantId === null || def.ownUnitsOfWork) return handler(payload, job);
    return this.tenantContext.run(tenantId, () => handler(payload, job));
  }
}
