import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Payment, Refund, RefundRequest } from '../../generated/prisma/client';
import { TenantContext } from '../../platform/database/tenant-context';
import { LedgerService } from '../ledger/ledger.service';
import { cancellationFee } from '../ledger/ledger-postings';
import { outRefundNoOf } from './payment-checks';
import { PaymentsRepository } from './payments.repository';
import { assertOutsideUnitOfWork } from './outside-transaction';
import { requestSplit } from './refund-rules';
import { RefundSubmission } from './refund-submission.service';
import { RefundsRepository } from './refunds.repository';

type Next = { kind: 'done'; executed: boolean } | { kind: 'send'; refundId: string };
const done = (executed: boolean): Next => ({ kind: 'done', executed });

/**
 * A cancellation's refund request (refund_requests, written by the orders module): its refund
 * (if any) through the provider, the fee kept split between store and technician, the request
 * marked executed — once, whoever runs it. Lock order: the order row, then the request, then the
 * refund (as every refund path). The provider call happens between units of work
 * (RefundSubmission); whatever is interrupted is picked up by the next run.
 */
@Injectable()
export class RefundRequestsService {
  constructor(
    private readonly repo: RefundsRepository,
    private readonly payments: PaymentsRepository,
    private readonly ledger: LedgerService,
    private readonly submission: RefundSubmission,
    private readonly tenantContext: TenantContext,
  ) {}

  /** Outside any unit of work: executes every request left pending (optionally of one order). */
  async executePending(tenantId: string, orderId?: string): Promise<number> {
    assertOutsideUnitOfWork(this.tenantContext, 'RefundRequestsService.executePending');
    const pending = await this.tenantContext.run(tenantId, () => this.repo.pendingRequests(orderId));
    let n = 0;
    for (const req of pending) {
      if (await this.execute(tenantId, req.id)) n++;
    }
    return n;
  }

  /** Outside any unit of work. True when the request is executed (now or before). */
  async execute(tenantId: string, requestId: string): Promise<boolean> {
    const next = await this.tenantContext.run(tenantId, () => this.prepare(requestId));
    if (next.kind === 'done') return next.executed;
    const refund = await this.submission.submit(tenantId, next.refundId);
    if (refund.status !== 'succeeded') return false;
    return this.tenantContext.run(tenantId, () => this.settle(requestId));
  }

  /**
   * In the caller's unit of work, once the request's refund has succeeded (or none is owed): the
   * fee is booked and the request executed. False when that cannot happen (yet).
   */
  async settle(requestId: string): Promise<boolean> {
    const locked = await this.lock(requestId);
    if (!locked) return false;
    const { order, req } = locked;
    const refund = await this.repo.findByRequest(req.id);
    if (refund && refund.status !== 'succeeded') return false;
    const split = requestSplit({
      paidFen: order.paidFen,
      refundedFen: order.refundedFen,
      inFlightFen: await this.repo.inFlightFen(order.id, { requestId: req.id }),
      request: req,
      ...(refund ? { refund: { amountFen: refund.amountFen, succeeded: true } } : {}),
    });
    if (!refund && split.refundFen > 0) return false; // a refund is still owed: prepare() makes it
    const fee = cancellationFee({
      orderId: order.id,
      requestId: req.id,
      storeShareFen: split.feeFen - split.technicianShareFen,
      technicianShareFen: split.technicianShareFen,
      technicianId: order.technicianId,
    });
    if (fee) await this.ledger.post(fee);
    await this.repo.setRequestStatus(req.id, 'executed');
    return true;
  }

  /**
   * First unit of work: what the request still needs. A refund to send (made now, `approved`, or
   * made before and never confirmed sent), or done: executed here (nothing to refund, or its
   * refund already succeeded), failed, or waiting for a refund the provider is processing.
   */
  private async prepare(requestId: string): Promise<Next> {
    const locked = await this.lock(requestId);
    if (!locked) return done(false);
    const { order, req } = locked;
    const existing = await this.repo.findByRequest(req.id);
    if (existing?.status === 'approved') return { kind: 'send', refundId: existing.id };
    if (existing?.status === 'failed') {
      await this.repo.setRequestStatus(req.id, 'failed');
      return done(false);
    }
    if (existing) return done(existing.status === 'succeeded' && (await this.settle(req.id)));
    const split = requestSplit({
      paidFen: order.paidFen,
      refundedFen: order.refundedFen,
      inFlightFen: await this.repo.inFlightFen(order.id, { requestId: req.id }),
      request: req,
    });
    if (split.refundFen === 0) return done(await this.settle(req.id));
    const payment = await this.repo.paymentToRefund(order.id, split.refundFen);
    if (!payment) {
      await this.repo.setRequestStatus(req.id, 'failed');
      return done(false);
    }
    return { kind: 'send', refundId: (await this.createRefund(req, payment, split.refundFen)).id };
  }

  private async lock(requestId: string) {
    const peek = await this.tenantContext.db().refundRequest.findFirst({ where: { id: requestId } });
    if (!peek) return null;
    const order = await this.payments.lockOrder(peek.orderId);
    const req = await this.repo.lockRequest(requestId);
    if (!order || !req || req.status !== 'pending') return null;
    return { order, req };
  }

  private createRefund(req: RefundRequest, payment: Payment, amountFen: number): Promise<Refund> {
    const id = randomUUID();
    return this.repo.create({
      id,
      orderId: req.orderId,
      paymentId: payment.id,
      refundRequestId: req.id,
      outRefundNo: outRefundNoOf(id),
      amountFen,
      reason: (req.reason ?? '取消订单 / order cancelled').slice(0, 200) || 'cancelled',
      status: 'approved',
      withinPolicy: true,
      requestedByType: ['staff', 'customer', 'technician'].includes(req.requestedByType)
        ? req.requestedByType
        : 'system',
      requestedBy: req.requestedById,
    });
  }
}
