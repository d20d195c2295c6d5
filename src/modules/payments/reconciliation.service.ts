import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG } from '../../config/load-config';
import type { AppConfig } from '../../config/config.schema';
import { JobHandler } from '../../platform/queue/job-handler.decorator';
import type { ReconciliationView } from './dto/reconciliation.dto';
import { MerchantCredentialsService } from './merchant-credentials.service';
import { PaymentOutcomesService } from './payment-outcomes.service';
import { PaymentProviderRegistry } from './payment-provider.registry';
import { PaymentsRepository } from './payments.repository';
import { OrderSettlementService } from './order-settlement.service';
import { RefundOutcomesService } from './refund-outcomes.service';
import { RefundsRepository } from './refunds.repository';
import { RefundsService } from './refunds.service';

export interface ReconcileSummary {
  queried: number;
  applied: number;
  rejected: number;
  refundsQueried: number;
  refundsApplied: number;
  refundRequestsExecuted: number;
  ordersSettled: number;
}

/**
 * Callbacks may never come. For payments still pending N minutes after creation this asks the
 * provider (`query`) and feeds the answer through the same idempotent path as a callback
 * (PaymentOutcomesService), so a late callback after a query (or the reverse) changes nothing
 * twice. Findings (paid there but cancelled here, amount differs, unknown trade) are recorded.
 * Refunds the provider left `processing` are asked about the same way (RefundOutcomesService).
 * It also executes refund requests the cancellation policy left pending and settles completed orders.
 */
@Injectable()
export class ReconciliationService {
  private readonly logger = new Logger('payments.reconcile');

  constructor(
    private readonly repo: PaymentsRepository,
    private readonly registry: PaymentProviderRegistry,
    private readonly merchants: MerchantCredentialsService,
    private readonly outcomes: PaymentOutcomesService,
    private readonly refunds: RefundsService,
    private readonly refundsRepo: RefundsRepository,
    private readonly refundOutcomes: RefundOutcomesService,
    private readonly settlement: OrderSettlementService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @JobHandler('payments.reconcile')
  async runJob(): Promise<ReconcileSummary> {
    return this.run(new Date());
  }

  async run(now: Date): Promise<ReconcileSummary> {
    const before = new Date(now.getTime() - this.config.PAYMENT_RECONCILE_AFTER_MINUTES * 60_000);
    const summary: ReconcileSummary = {
      queried: 0,
      applied: 0,
      rejected: 0,
      refundsQueried: 0,
      refundsApplied: 0,
      refundRequestsExecuted: 0,
      ordersSettled: 0,
    };
    for (const p of await this.repo.overduePending(before, 100)) {
      const provider = this.registry.get(p.provider);
      const merchant = await this.merchants.forProvider(p.provider);
      if (!provider?.query || !merchant) continue;
      summary.queried++;
      let q;
      try {
        q = await provider.query(merchant.credentials, p.outTradeNo);
      } catch (e) {
        this.logger.warn({
          msg: 'provider query failed',
          provider: p.provider,
          outTradeNo: p.outTradeNo,
          err: (e as Error).message,
        });
        continue;
      }
      const r = await this.outcomes.apply(
        p.provider as 'wechat' | 'alipay' | 'sandbox',
        'query',
        { outTradeNo: p.outTradeNo, currency: q.status === 'succeeded' ? 'CNY' : undefined, ...q },
        null,
      );
      if (r.result === 'applied') summary.applied++;
      if (r.result === 'rejected') summary.rejected++;
    }
    await this.followUpRefunds(before, summary);
    summary.refundRequestsExecuted = await this.refunds.executePendingRequests();
    summary.ordersSettled = await this.settlement.settleCompleted();
    return summary;
  }

  /** Refunds still processing, last asked about before `before`: the provider's word through the refund path. */
  private async followUpRefunds(before: Date, summary: ReconcileSummary): Promise<void> {
    for (const r of await this.refundsRepo.overdueProcessing(before, 100)) {
      const payment = await this.repo.find(r.paymentId);
      const provider = payment ? this.registry.get(payment.provider) : undefined;
      const merchant = payment ? await this.merchants.forProvider(payment.provider) : null;
      if (!payment || !provider?.queryRefund || !merchant) continue;
      summary.refundsQueried++;
      let q;
      try {
        q = await provider.queryRefund({
          credentials: merchant.credentials,
          outTradeNo: payment.outTradeNo,
          outRefundNo: r.outRefundNo,
        });
      } catch (e) {
        this.logger.warn({
          msg: 'provider refund query failed',
          provider: payment.provider,
          outRefundNo: r.outRefundNo,
          err: (e as Error).message,
        });
        continue;
      }
      const res = await this.refundOutcomes.apply(
        payment.provider as 'wechat' | 'alipay' | 'sandbox',
        'query',
        q,
        null,
      );
      if (res.result === 'applied') summary.refundsApplied++;
    }
  }

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
      mismatches: mismatches.map((m) => ({
        id: m.id,
        provider: m.provider,
        source: m.source,
        kind: m.kind,
        paymentId: m.paymentId,
        outTradeNo: m.outTradeNo,
        refundId: m.refundId,
        outRefundNo: m.outRefundNo,
        details: m.details as Record<string, unknown>,
        resolvedAt: m.resolvedAt,
        createdAt: m.createdAt,
      })),
    };
  }
}
