import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Queue, type JobsOptions } from 'bullmq';
import { APP_CONFIG } from '../../config/load-config';
import type { AppConfig } from '../../config/config.schema';
import { TenantContext } from '../database/tenant-context';
import { JOB_DEFINITIONS_TOKEN } from './job-registry';
import type { JobDefinition, JobDefinitions, JobName, JobPayload } from './job-definitions';
import { tenantOfJob } from './job-tenant';

export interface EnqueueOptions {
  /** Dedupe key: a second job with the same id is dropped while the first is kept. */
  jobId?: string;
  delayMs?: number;
  priority?: number;
}

/** BullMQ options of a job, all derived from its definition. */
export function jobOptions(def: JobDefinition, backoffMs: number, opts: EnqueueOptions = {}): JobsOptions {
  return {
    attempts: def.attempts,
    backoff: { type: 'exponential', delay: backoffMs * (def.backoffFactor ?? 1) },
    removeOnComplete: { count: def.keepCompleted ?? 1000 },
    removeOnFail: { count: def.keepFailed ?? 5000 },
    ...(opts.jobId !== undefined ? { jobId: opts.jobId.replaceAll(':', '_') } : {}),
    ...(opts.delayMs !== undefined ? { delay: opts.delayMs } : {}),
    ...(opts.priority !== undefined ? { priority: opts.priority } : {}),
  };
}

/** A job waiting for its unit of work to commit. */
interface PendingJob {
  name: string;
  data: unknown;
  opts: JobsOptions;
}

const PENDING_JOBS = Symbol('jobs queued at commit');

/** The one way to start background work: `jobQueue.enqueue('mail.send', payload)`. */
@Injectable()
export class JobQueue implements OnApplicationShutdown {
  private readonly queues = new Map<string, Queue>();

  constructor(
    @Inject(JOB_DEFINITIONS_TOKEN) private readonly definitions: JobDefinitions,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tenantContext: TenantContext,
  ) {}

  async enqueue<N extends JobName>(name: N, payload: JobPayload<N>, opts: EnqueueOptions = {}): Promise<string> {
    const def = this.definitions[name];
    if (!def) throw new Error(`unknown job "${name}"`);
    // Fail at the producer too: a tenant job must say which store, and only the current one.
    const tenantId = tenantOfJob(def.scope, name, payload);
    if (tenantId && this.tenantContext.hasContext() && this.tenantContext.tenantId() !== tenantId) {
      throw new Error(`job "${name}" names another store than the current tenant context`);
    }
    const jobId = opts.jobId ?? def.dedupeId?.(payload as never) ?? randomUUID();
    const job: PendingJob = {
      name,
      data: payload,
      opts: jobOptions(def, this.config.QUEUE_BACKOFF_MS, { ...opts, jobId }),
    };
    // Inside a unit of work the job must not run before the rows it reads are committed (nor at
    // all if the work rolls back), so it is queued after the commit — together with the unit of
    // work's other jobs, one round trip to Redis per queue.
    const batch = this.tenantContext.unitLocal(PENDING_JOBS, () => this.openBatch());
    if (batch) {
      const jobs = batch.get(def.queue);
      if (jobs) jobs.push(job);
      else batch.set(def.queue, [job]);
    } else {
      await this.queue(def.queue).add(job.name, job.data, job.opts);
    }
    return jobId;
  }

  /** A unit of work's jobs by queue, added once it has committed (registered with its first job). */
  private openBatch(): Map<string, PendingJob[]> {
    const batch = new Map<string, PendingJob[]>();
    void this.tenantContext.afterCommit(() =>
      Promise.all(
        [...batch].map(([queueName, jobs]) =>
          jobs.length === 1
            ? this.queue(queueName).add(jobs[0]!.name, jobs[0]!.data, jobs[0]!.opts)
            : this.queue(queueName).addBulk(jobs),
        ),
      ),
    );
    return batch;
  }

  /** The BullMQ queue behind a queue name (tests and health checks inspect it). */
  queue(queueName: string): Queue {
    let queue = this.queues.get(queueName);
    if (!queue) {
      queue = new Queue(queueName, {
        connection: { url: this.config.REDIS_URL, maxRetriesPerRequest: 2 },
        prefix: this.config.REDIS_PREFIX,
      });
      this.queues.set(queueName, queue);
    }
    return queue;
  }

  allQueues(): Queue[] {
    return [...new Set(Object.values(this.definitions).map((d) => d.queue))].map((q) => this.queue(q));
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }
}
