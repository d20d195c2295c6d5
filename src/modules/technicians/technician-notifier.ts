import { Injectable } from '@nestjs/common';
import { TenantContext } from '../../platform/database/tenant-context';
import { JobQueue } from '../../platform/queue/job-queue';
import type { ReviewOutcome } from './technician-notice';

// Queued inside the deciding transaction: a short delay lets it commit before the job looks.
const NOTICE_DELAY_MS = 500;

/** Tells a technician about a review decision: queues the `technician.review_notice` SMS job. */
@Injectable()
export class TechnicianNotifier {
  constructor(
    private readonly jobs: JobQueue,
    private readonly tenantContext: TenantContext,
  ) {}

  async reviewed(technicianId: string, outcome: ReviewOutcome): Promise<void> {
    await this.jobs.enqueue(
      'technician.review_notice',
      {
        tenantId: this.tenantContext.tenantId(),
        technicianId,
        outcome,
      },
      { delayMs: NOTICE_DELAY_MS },
    );
  }
}
