import { Injectable } from '@nestjs/common';
import type { Refund } from '../../generated/prisma/client';
import type { OutcomeResult } from './payment-outcomes.service';
import { refundClaimMismatch } from './payment-checks';
import { PaymentsRepository, type OrderForPayment } from './payments.repository';
import type { RefundStatusReport } from './providers/payment-provider';
import { refundableFen } from './refund-rules';
import { RefundCompletion } from './refund-completion.service';
import { RefundsRepository } from './refunds.repository';
import { RefundRequestsService } from './refund-requests.service';

type AsyncProvider = 'wechat' | 'alipay' | 'sandbox';

/**
 * The one idempotent path by which a provider's word about a refund changes our state — its
 * notification and the reconciliation query alike (the refund analogue of PaymentOutcomesService).
 * It locks the order, then the refund (the order every refund path takes), so a notification and
 * a query racing each other, or twenty replays, queue up and only the first finds the refund in
 * flight: one status change, one journal entry, one change of the order's refunded amount. A
 * report that does not match the refund (merchant, payment, amount) is recorded and changes nothing.
 */
@Injectable()
export class RefundOutcomesService {
  constructor(
    private readonly repo: RefundsRepository,
    private readonly payments: PaymentsRepository,
    private readonly completion: RefundCompletion,
    private readonly requests: RefundRequestsService,
  ) {}

  async apply(
    provider: AsyncProvider,
    source: 'callback' | 'query',
    report: RefundStatusReport,
    bodySha256: string | null,
  ): Promise<OutcomeResult> {
    const found = await this.repo.findByOutRefundNo(report.outRefundNo);
    const payment = found ? await this.payments.find(found.paymentId) : null;
    const log = (refund: Refund | null, r: OutcomeResult) =>
      this.payments
        .logCallback({
          provider,
          source,
          paymentId: refund?.paymentId ?? null,
          refundId: refund?.id ?? null,
          outTradeNo: payment?.outTradeNo ?? report.outTradeNo ?? null,
          outcome: r.result,
          reason: r.result === 'rejected' ? r.reason : null,
          bodySha256,
        })
        .then(() => r);
    const finding = (
      refund: Refund | null,
      kind: 'amount' | 'merchant' | 'status' | 'unknown_refund',
      details: object,
    ) =>
      this.repo.recordMismatch({
        provider,
        source,
        kind,
        paymentId: refund?.paymentId ?? null,
        refundId: refund?.id ?? null,
        outRefundNo: report.outRefundNo,
        details: { ...details },
      });

    const order = found && payment?.provider === provider ? await this.payments.lockOrder(found.orderId) : null;
    const refund = order ? await this.repo.lock(found!.id) : null;
    if (!payment || !order || !refund) {
      await finding(null, 'unknown_refund', { status: report.status, refundFen: report.refundFen ?? null });
      return log(null, { result: 'rejected', reason: 'unknown_refund' });
    }
    const mismatch = refundClaimMismatch(report, {
      outTradeNo: payment.outTradeNo,
      refundFen: refund.amountFen,
      merchantId: payment.merchantId ?? '',
    });
    if (mismatch) {
      await finding(refund, mismatch, {
        claimed: {
          outTradeNo: report.outTradeNo ?? null,
          refundFen: report.refundFen ?? null,
          merchantId: report.merchantId ?? null,
        },
        expected: { outTradeNo: payment.outTradeNo, refundFen: refund.amountFen, merchantId: payment.merchantId },
      });
      return log(refund, { result: 'rejected', reason: mismatch });
    }
    if (source === 'query') await this.repo.update(refund.id, { queryCount: { increment: 1 } });

    const inFlight = refund.status === 'processing' || refund.status === 'approved';
    if (report.status === 'processing' || report.status === 'not_found') {
      // A refund we hold as processing that the provider does not know is for staff to look at.
      if (report.status === 'not_found' && refund.status === 'processing') {
        await finding(refund, 'status', { ours: refund.status, theirs: 'not_found' });
      }
      return log(refund, { result: 'ignored' });
    }
    if (report.status === 'failed') {
      if (refund.status === 'failed') return log(refund, { result: 'replay' });
      if (inFlight) {
        await this.completion.failed(refund, order, report.providerRefundNo);
        return log(refund, { result: 'applied' });
      }
      await finding(refund, 'status', { ours: refund.status, theirs: 'failed' });
      return log(refund, { result: 'rejected', reason: 'status' });
    }
    if (refund.status === 'succeeded') return log(refund, { result: 'replay' });
    if (inFlight || (refund.status === 'failed' && (await this.roomFor(refund, order)))) {
      // A refund we had given up on (ABNORMAL, then retried by staff in the merchant platform)
      // did reach the customer after all: the money has gone, so it is booked — and reported.
      if (!inFlight) await finding(refund, 'status', { ours: 'failed', theirs: 'succeeded', booked: true });
      await this.succeed(refund, order, report);
      return log(refund, { result: 'applied' });
    }
    await finding(refund, 'status', { ours: refund.status, theirs: 'succeeded', booked: false });
    return log(refund, { result: 'rejected', reason: 'status' });
  }

  private async succeed(refund: Refund, order: OrderForPayment, report: RefundStatusReport): Promise<void> {
    await this.completion.succeeded(refund, order, report.providerRefundNo);
    // a cancellation's refund: its fee split and the request itself finish now too
    if (refund.refundRequestId) await this.requests.settle(refund.refundRequestId);
  }

  /** Whether the order can still take this refund back (what was paid minus what is refunded or on its way). */
  private async roomFor(refund: Refund, order: OrderForPayment): Promise<boolean> {
    const available = refundableFen(order.paidFen, order.refundedFen, await this.repo.inFlightFen(order.id));
    return available >= refund.amountFen;
  }
}
