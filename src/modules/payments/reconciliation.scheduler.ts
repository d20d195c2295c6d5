import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../../config/load-config';
import type { AppConfig } from '../../config/config.schema';
import { TenantContext } from '../../platform/database/tenant-context';
import { JobQueue } from '../../platform/queue/job-queue';
import { JOB_DEFINITIONS } from '../../platform/queue/job-definitions';

export interface ReconcilePayload {
  tenantId: string;
}

/**
 * One repeatable BullMQ job per store that takes asynchronous payments (created on its first
 * such payment, upserted idempotently), so reconciliation never has to list stores across the
 * tenant wall: each run works inside its own store's RLS context.
 */
@Injectable()
export class ReconciliationScheduler {
  private readonly ensured = new Set<string>();

  constructor(
    private readonly jobs: JobQueue,
    private readonly tenantContext: TenantContext,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async ensure(tenantId: string): Promise<void> {
    if (this.ensured.has(tenantId)) return;
    await this.tenantContext.afterCommit(async () => {
      const def = JOB_DEFINITIONS['payments.reconcile']!;
      await this.jobs.queue(def.queue).upsertJobScheduler(
        `payments-reconcile-${tenantId}`,
        { every: this.config.PAYMENT_RECONCILE_EVERY_MS },
        {
          name: 'payments.reconcile',
          data: { tenantId } satisfies ReconcilePayload,
          opts: { attempts: def.attempts },
        },
      );
      this.ensured.add(tenantId);
    });
  }
}
