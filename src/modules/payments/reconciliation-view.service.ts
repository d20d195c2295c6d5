import { Injectable } from '@nestjs/common';
import type { ReconciliationView } from './dto/reconciliation.dto';
import { mismatchView } from './mismatch-resolution.service';
import { PaymentsRepository } from './payments.repository';
import { RefundsRepository } from './refunds.repository';

/** 对账 for staff: what the providers told us (callbacks vs queries), payments and refunds by status, the findings. */
@Injectable()
export class ReconciliationViewService {
  constructor(
    private readonly repo: PaymentsRepository,
    private readonly refundsRepo: RefundsRepository,
  ) {}

  async view(since?: Date): Promise<ReconciliationView> {
    const [mismatches, callbacks, payments, refunds] = await Promise.all([
      this.repo.mismatches(since, 200),
      this.repo.callbackCounts(since),
      this.repo.paymentCounts(since),
      this.refundsRepo.countsByStatus(since),
    ]);
    const count = (source: string, outcome?: string) =>
      callbacks
        .filter((c) => c.source === source && (!outcome || c.outcome === outcome))
        .reduce((s, c) => s + c.count, 0);
    return {
      counts: {
        callbacksReceived: count('callback'),
        callbacksApplied: count('callback', 'applied'),
        callbacksReplayed: count('callback', 'replay'),
        callbacksRejected: count('callback', 'rejected'),
        queriesMade: count('query'),
        queriesApplied: count('query', 'applied'),
        paymentsByStatus: Object.fromEntries(payments.map((p) => [p.status, p.count])),
        refundsByStatus: Object.fromEntries(refunds.map((r) => [r.status, r.count])),
      },
      mismatches: mismatches.map(mismatchView),
    };
  }
}
