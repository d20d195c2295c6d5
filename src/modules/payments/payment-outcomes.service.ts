import { Injectable } from '@nestjs/common';
import type { Payment } from '../../generated/prisma/client';
import { TenantContext } from '../../platform/database/tenant-context';
import { LedgerService } from '../ledger/ledger.service';
import { overpayment, paymentReceived } from '../ledger/ledger-postings';
import { claimMismatch } from './payment-checks';
import { OrdersPort } from './orders-port';
import { PaymentsRepository, type CallbackLogEntry } from './payments.repository';

/** What a provider says about one of our payments, from a verified callback or a query. */
export interface ProviderOutcome {
  outTradeNo: string;
  status: 'succeeded' | 'failed' | 'closed' | 'pending' | 'not_found';
  providerTradeNo?: string;
  amountFen?: number;
  currency?: string;
  merchantId?: string;
  paidAt?: Date;
}

export type OutcomeResult =
  { result: 'applied' | 'replay' | 'ignored'; reason?: string } | { result: 'rejected'; reason: string };

type AsyncProvider = 'wechat' | 'alipay' | 'sandbox';

/**
 * The one idempotent path by which a provider's word changes our state — used by callbacks and
 * by reconciliation queries alike. Runs in the caller's unit of work and starts by locking the
 * payment row (FOR UPDATE; or the caller locked it and passes it as `locked`), so twenty replays
 * of one notification queue up behind each other and only the first finds the payment pending:
 * one status change, one journal transaction, one `markPaid`. A claim that does not match the
 * payment (amount, currency, merchant) is recorded and changes nothing.
 */
@Injectable()
export class PaymentOutcomesService {
  constructor(
    private readonly repo: PaymentsRepository,
    private readonly ledger: LedgerService,
    private readonly orders: OrdersPort,
    private readonly tenantContext: TenantContext,
  ) {}

  async apply(
    provider: AsyncProvider,
    source: 'callback' | 'query',
    o: ProviderOutcome,
    bodySha256: string | null,
    opts: { locked?: Payment } = {},
  ): Promise<OutcomeResult> {
    const entry = (paymentId: string | null, r: OutcomeResult): CallbackLogEntry => ({
      provider,
      source,
      paymentId,
      outTradeNo: o.outTradeNo,
      outcome: r.result,
      reason: r.reason ?? null,
      bodySha256,
    });
    const log = (paymentId: string | null, r: OutcomeResult) =>
      this.repo.logCallback(entry(paymentId, r)).then(() => r);

    // A caller already holding the payment's lock (the sandbox gateway) hands its row down; used
    // only when it is the payment this outcome names, else the row is locked here.
    const payment =
      opts.locked && opts.locked.outTradeNo === o.outTradeNo
        ? opts.locked
        : await this.repo.lockByOutTradeNo(o.outTradeNo);
    if (!payment || payment.provider !== provider) {
      await this.repo.recordMismatch({
        provider,
        source,
        kind: 'unknown_trade',
        paymentId: null,
        outTradeNo: o.outTradeNo,
        details: { status: o.status, amountFen: o.amountFen ?? null, providerTradeNo: o.providerTradeNo ?? null },
      });
      return log(null, { result: 'rejected', reason: 'unknown_trade' });
    }
    if (o.status === 'pending' || o.status === 'not_found') {
      if (source === 'query') await this.repo.update(payment.id, { queryCount: { increment: 1 } });
      return log(payment.id, { result: 'ignored' });
    }
    const mismatch = claimMismatch(o, {
      amountFen: payment.amountFen,
      currency: payment.currency,
      merchantId: payment.merchantId ?? '',
    });
    if (mismatch) {
      await this.repo.recordMismatch({
        provider,
        source,
        kind: mismatch,
        paymentId: payment.id,
        outTradeNo: o.outTradeNo,
        details: {
          claimed: { amountFen: o.amountFen ?? null, currency: o.currency ?? null, merchantId: o.merchantId ?? null },
          expected: { amountFen: payment.amountFen, currency: payment.currency, merchantId: payment.merchantId },
        },
      });
      return log(payment.id, { result: 'rejected', reason: mismatch });
    }
    const counter = source === 'callback' ? { callbackCount: { increment: 1 } } : { queryCount: { increment: 1 } };

    if (o.status !== 'succeeded') {
      // Alipay closes a trade once it is fully refunded (TRADE_CLOSED): expected, not a finding.
      if (
        payment.status === 'succeeded' &&
        o.status === 'closed' &&
        (await this.repo.refundedOrRefundingFen(payment.id)) >= payment.amountFen
      ) {
        await this.repo.update(payment.id, counter);
        return log(payment.id, { result: 'replay', reason: 'closed_after_full_refund' });
      }
      if (payment.status === 'succeeded') {
        await this.repo.recordMismatch({
          provider,
          source,
          kind: 'status',
          paymentId: payment.id,
          outTradeNo: o.outTradeNo,
          details: { ours: payment.status, theirs: o.status },
        });
        return log(payment.id, { result: 'rejected', reason: 'status' });
      }
      const changed = payment.status !== o.status;
      await this.repo.update(payment.id, { ...counter, ...(changed ? { status: o.status } : {}) });
      return log(payment.id, { result: changed ? 'applied' : 'replay' });
    }

    if (payment.status === 'succeeded') {
      await this.repo.update(payment.id, counter);
      return log(payment.id, { result: 'replay' });
    }
    const applied: OutcomeResult = { result: 'applied' };
    await this.succeed(payment, provider, source, o, entry(payment.id, applied));
    return applied;
  }

  /**
   * Pending (or locally given up) → succeeded, money into the ledger, the order told. `log` is
   * written by the payment's own update (one statement); an error after it rolls both back.
   */
  private async succeed(
    payment: Payment,
    provider: AsyncProvider,
    source: 'callback' | 'query',
    o: ProviderOutcome,
    log: CallbackLogEntry,
  ): Promise<void> {
    // The payment's update and the whole order, locked once (markPaid takes it as is instead of
    // locking it again), in one round trip.
    const [, order] = await this.tenantContext.together(
      () => this.repo.markSucceeded(payment.id, source, o.providerTradeNo ?? null, o.paidAt ?? new Date(), log),
      () => this.orders.lockOrder(payment.orderId),
    );
    const received = () =>
      this.ledger.post(
        paymentReceived({
          source: { kind: 'provider', provider },
          paymentId: payment.id,
          orderId: payment.orderId,
          amountFen: payment.amountFen,
        }),
      );
    if (order && payment.kind === 'charge' && order.status === 'pending_payment') {
      await this.tenantContext.together(received, () =>
        this.orders.markPaid(order.id, { paymentId: payment.id, amountFen: payment.amountFen }, { locked: order }),
      );
      return;
    }
    // 加钟: a supplementary charge for an extension still waiting for it.
    const extension = payment.extensionId ? await this.repo.extensionStatus(payment.extensionId) : null;
    if (order && payment.kind === 'supplement' && payment.extensionId && extension === 'pending_payment') {
      await received();
      await this.orders.markExtensionPaid(payment.extensionId, { paymentId: payment.id, amountFen: payment.amountFen });
      return;
    }
    // Money arrived for an order that no longer takes it (cancelled by the unpaid timer, or paid
    // another way): it is the customer's — credited to the wallet — and staff see a finding.
    await this.ledger.post(
      overpayment({ provider, paymentId: payment.id, customerId: payment.customerId, amountFen: payment.amountFen }),
    );
    await this.repo.recordMismatch({
      provider,
      source,
      kind: order?.status === 'cancelled' ? 'paid_but_cancelled' : 'duplicate_payment',
      paymentId: payment.id,
      outTradeNo: payment.outTradeNo,
      details: { orderStatus: order?.status ?? null, amountFen: payment.amountFen, creditedToWallet: true },
    });
  }
}
