import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG } from '../../config/load-config';
import type { AppConfig } from '../../config/config.schema';
import type { Payment, Refund } from '../../generated/prisma/client';
import { TenantContext } from '../../platform/database/tenant-context';
import { JobHandler } from '../../platform/queue/job-handler.decorator';
import { MerchantCredentialsService, type StoreMerchant } from './merchant-credentials.service';
import { OrderSettlementService } from './order-settlement.service';
import { assertOutsideUnitOfWork } from './outside-transaction';
import { PaymentOutcomesService } from './payment-outcomes.service';
import { PaymentProviderRegistry } from './payment-provider.registry';
import { PaymentsRepository } from './payments.repository';
import type { ReconcilePayload } from './reconciliation.scheduler';
import { RefundOutcomesService } from './refund-outcomes.service';
import { RefundRequestsService } from './refund-requests.service';
import { RefundSubmission } from './refund-submission.service';
import { RefundsRepository } from './refunds.repository';

export interface ReconcileSummary {
  queried: number;
  applied: number;
  rejected: number;
  refundsQueried: number;
  refundsApplied: number;
  refundsResent: number;
  refundRequestsExecuted: number;
  ordersSettled: number;
}

type AsyncProvider = 'wechat' | 'alipay' | 'sandbox';

/** What one run works through, read in one unit of work before any provider is asked. */
interface Worklist {
  payments: Payment[];
  refunds: { refund: Refund; payment: Payment }[];
  merchants: Map<string, StoreMerchant | null>;
}

/**
 * Callbacks may never come. For payments still pending N minutes after creation this asks the
 * provider (`query`) and feeds the answer through the same idempotent path as a callback
 * (PaymentOutcomesService), so a late callback after a query (or the reverse) changes nothing
 * twice. Refunds still in flight are asked about the same way (RefundOutcomesService); one the
 * provider never received (a crash or a network failure between our two units of work) is sent
 * again with the same out_refund_no. Then it executes refund requests the cancellation policy
 * left pending and settles completed orders.
 *
 * Each provider call runs between units of work, never inside one: the job handler opens its
 * own (its job definition says so) and so must any other caller.
 */
@Injectable()
export class ReconciliationService {
  private readonly logger = new Logger('payments.reconcile');

  constructor(
    private readonly repo: PaymentsRepository,
    private readonly registry: PaymentProviderRegistry,
    private readonly merchants: MerchantCredentialsService,
    private readonly outcomes: PaymentOutcomesService,
    private readonly refundsRepo: RefundsRepository,
    private readonly refundOutcomes: RefundOutcomesService,
    private readonly submission: RefundSubmission,
    private readonly requests: RefundRequestsService,
    private readonly settlement: OrderSettlementService,
    private readonly tenantContext: TenantContext,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @JobHandler('payments.reconcile')
  async runJob(payload: ReconcilePayload): Promise<ReconcileSummary> {
    return this.run(payload.tenantId, new Date());
  }

  /** Outside any unit of work. */
  async run(tenantId: string, now: Date): Promise<ReconcileSummary> {
    assertOutsideUnitOfWork(this.tenantContext, 'ReconciliationService.run');
    const before = new Date(now.getTime() - this.config.PAYMENT_RECONCILE_AFTER_MINUTES * 60_000);
    const summary: ReconcileSummary = {
      queried: 0,
      applied: 0,
      rejected: 0,
      refundsQueried: 0,
      refundsApplied: 0,
      refundsResent: 0,
      refundRequestsExecuted: 0,
      ordersSettled: 0,
    };
    const work = await this.tenantContext.run(tenantId, () => this.worklist(before));
    for (const p of work.payments) await this.followUpPayment(tenantId, p, work, summary);
    for (const r of work.refunds) await this.followUpRefund(tenantId, r, work, summary);
    summary.refundRequestsExecuted = await this.requests.executePending(tenantId);
    summary.ordersSettled = await this.tenantContext.run(tenantId, () => this.settlement.settleCompleted());
    return summary;
  }

  private async worklist(before: Date): Promise<Worklist> {
    const payments = await this.repo.overduePending(before, 100);
    const refunds: Worklist['refunds'] = [];
    for (const refund of await this.refundsRepo.overdueInFlight(before, 100)) {
      const payment = await this.repo.find(refund.paymentId);
      if (payment) refunds.push({ refund, payment });
    }
    const merchants = new Map<string, StoreMerchant | null>();
    for (const provider of new Set([...payments, ...refunds.map((r) => r.payment)].map((p) => p.provider))) {
      merchants.set(provider, await this.merchants.forProvider(provider));
    }
    return { payments, refunds, merchants };
  }

  private async followUpPayment(tenantId: string, p: Payment, work: Worklist, summary: ReconcileSummary) {
    const provider = this.registry.get(p.provider);
    const merchant = work.merchants.get(p.provider);
    if (!provider?.query || !merchant) return;
    summary.queried++;
    let q;
    try {
      q = await provider.query(merchant.credentials, p.outTradeNo);
    } catch (e) {
      this.logger.warn({
        msg: 'provider query failed',
        provider: p.provider,
        outTradeNo: p.outTradeNo,
        err: String(e),
      });
      return;
    }
    const outcome = { outTradeNo: p.outTradeNo, currency: q.status === 'succeeded' ? 'CNY' : undefined, ...q };
    const r = await this.tenantContext.run(tenantId, () =>
      this.outcomes.apply(p.provider as AsyncProvider, 'query', outcome, null),
    );
    if (r.result === 'applied') summary.applied++;
    if (r.result === 'rejected') summary.rejected++;
  }

  /**
   * A refund still in flight: what the provider says goes through the refund path; one it never
   * received (approved here, unknown there) — or one of a provider that cannot be asked (balance,
   * cash: no network) — is sent again, which is safe with the same out_refund_no.
   */
  private async followUpRefund(
    tenantId: string,
    { refund, payment }: Worklist['refunds'][number],
    work: Worklist,
    summary: ReconcileSummary,
  ) {
    const provider = this.registry.get(payment.provider);
    const merchant = work.merchants.get(payment.provider);
    if (!provider || !merchant) return;
    if (provider.queryRefund) {
      summary.refundsQueried++;
      let q;
      try {
        q = await provider.queryRefund({
          credentials: merchant.credentials,
          outTradeNo: payment.outTradeNo,
          outRefundNo: refund.outRefundNo,
        });
      } catch (e) {
        this.logger.warn({ msg: 'refund query failed', outRefundNo: refund.outRefundNo, err: String(e) });
        return;
      }
      if (!(q.status === 'not_found' && refund.status === 'approved')) {
        const r = await this.tenantContext.run(tenantId, () =>
          this.refundOutcomes.apply(payment.provider as AsyncProvider, 'query', q, null),
        );
        if (r.result === 'applied') summary.refundsApplied++;
        return;
      }
    }
    if (refund.status !== 'approved') return;
    summary.refundsResent++;
    const after = await this.submission.submit(tenantId, refund.id);
    if (after.status !== 'approved') summary.refundsApplied++;
  }
}
