import { randomUUID } from 'node:crypto';
import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { APP_CONFIG } from '../../config/load-config';
import type { AppConfig } from '../../config/config.schema';
import type { Payment, Refund, RefundRequest } from '../../generated/prisma/client';
import type { Actor } from '../../platform/auth/actor';
import type { AppAbility } from '../../platform/authz/app-ability';
import { accessibleBy } from '../../platform/authz/casl-prisma';
import { TenantContext } from '../../platform/database/tenant-context';
import { LedgerService } from '../ledger/ledger.service';
import { cancellationFee } from '../ledger/ledger-postings';
import type { CreateRefundDto, RefundView } from './dto/refund.dto';
import { MerchantCredentialsService } from './merchant-credentials.service';
import { outRefundNoOf } from './payment-checks';
import { PaymentProviderRegistry } from './payment-provider.registry';
import { PaymentsRepository, type OrderForPayment } from './payments.repository';
import { orderNotFound } from './payments.service';
import { REFUND_ASKABLE_ORDER_STATUSES, refundableFen, refundWithinPolicy } from './refund-rules';
import { RefundCompletion } from './refund-completion.service';
import { RefundsRepository } from './refunds.repository';

const refundNotFound = () => new NotFoundException({ code: 'REFUND_NOT_FOUND', message: 'refund not found' });

export function refundView(r: Refund): RefundView {
  return {
    id: r.id,
    orderId: r.orderId,
    paymentId: r.paymentId,
    amountFen: r.amountFen,
    reason: r.reason,
    status: r.status,
    withinPolicy: r.withinPolicy,
    requestedByType: r.requestedByType,
    approvedBy: r.approvedBy,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

/**
 * Refunds: requested by a customer or staff, or owed by a cancellation (refund_requests). Lock
 * order: the order row first, then the refund — the same order everywhere, so two refunds of one
 * order serialise and their sum can never pass what was paid. Execution is idempotent: only an
 * `approved` refund is sent to the provider, and it leaves that status in the same transaction.
 */
@Injectable()
export class RefundsService {
  constructor(
    private readonly repo: RefundsRepository,
    private readonly payments: PaymentsRepository,
    private readonly registry: PaymentProviderRegistry,
    private readonly merchants: MerchantCredentialsService,
    private readonly ledger: LedgerService,
    private readonly completion: RefundCompletion,
    private readonly tenantContext: TenantContext,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async request(actor: Actor, ability: AppAbility, orderId: string, dto: CreateRefundDto): Promise<RefundView> {
    const mine = actor.kind === 'customer' ? { customerId: actor.id } : {};
    const visible = await this.tenantContext.db().order.findFirst({
      where: { AND: [accessibleBy(ability).ofType('Order'), { id: orderId, ...mine }] },
      select: { id: true },
    });
    if (!visible) throw orderNotFound();
    const order = await this.payments.lockOrder(orderId);
    if (!order) throw orderNotFound();
    if (!REFUND_ASKABLE_ORDER_STATUSES.includes(order.status)) {
      throw new ConflictException({
        code: 'ORDER_NOT_REFUNDABLE',
        message: `订单状态 ${order.status} 不能退款，请先取消 / an order in status ${order.status} cannot be refunded (cancel it first)`,
      });
    }
    const refundable = refundableFen(order.paidFen, order.refundedFen, await this.repo.inFlightFen(order.id));
    if (dto.amountFen > refundable) {
      throw new BadRequestException({
        code: 'REFUND_EXCEEDS_REFUNDABLE',
        message: 'refund amount is more than can be refunded',
        fields: [
          { field: 'amountFen', messages: [`最多可退 ${refundable} 分 / at most ${refundable} fen can be refunded`] },
        ],
      });
    }
    const payment = await this.paymentFor(order.id, dto.amountFen);
    if (!payment) {
      throw new BadRequestException({
        code: 'REFUND_SPANS_PAYMENTS',
        message: 'a refund goes back through one payment; split it',
        fields: [
          { field: 'amountFen', messages: ['超过单笔支付可退金额，请分开退款 / more than one payment can give back'] },
        ],
      });
    }
    const within = refundWithinPolicy(actor);
    const id = randomUUID();
    const refund = await this.repo.create({
      id,
      orderId: order.id,
      paymentId: payment.id,
      outRefundNo: outRefundNoOf(id),
      amountFen: dto.amountFen,
      reason: dto.reason,
      status: within ? 'approved' : 'requested',
      withinPolicy: within,
      requestedByType: actor.kind === 'operator' ? 'system' : actor.kind,
      requestedBy: actor.id,
      approvedBy: within ? actor.id : null,
    });
    return refundView(within ? await this.execute(refund.id, order) : refund);
  }

  async approve(actor: Actor, id: string): Promise<RefundView> {
    const found = await this.repo.find(id);
    if (!found) throw refundNotFound();
    const order = await this.payments.lockOrder(found.orderId);
    const refund = await this.repo.lock(id);
    if (!order || !refund) throw refundNotFound();
    if (refund.status === 'rejected')
      throw new ConflictException({ code: 'REFUND_REJECTED', message: 'this refund was rejected' });
    if (refund.status !== 'requested') return refundView(refund); // already decided: approving again changes nothing
    const refundable = refundableFen(
      order.paidFen,
      order.refundedFen,
      await this.repo.inFlightFen(order.id, { refundId: id }),
    );
    if (refund.amountFen > refundable) {
      throw new ConflictException({
        code: 'REFUND_EXCEEDS_REFUNDABLE',
        message: `at most ${refundable} fen can still be refunded`,
      });
    }
    await this.repo.update(id, { status: 'approved', approvedBy: actor.id });
    return refundView(await this.execute(id, order));
  }

  async reject(actor: Actor, id: string): Promise<RefundView> {
    const refund = await this.repo.lock(id);
    if (!refund) throw refundNotFound();
    if (refund.status === 'rejected') return refundView(refund);
    if (refund.status !== 'requested') {
      throw new ConflictException({
        code: 'REFUND_ALREADY_DECIDED',
        message: `a refund in status ${refund.status} cannot be rejected`,
      });
    }
    return refundView(await this.repo.update(id, { status: 'rejected', approvedBy: actor.id }));
  }

  async listForOrder(ability: AppAbility, orderId: string): Promise<RefundView[]> {
    const visible = await this.tenantContext.db().order.findFirst({
      where: { AND: [accessibleBy(ability).ofType('Order'), { id: orderId }] },
      select: { id: true },
    });
    if (!visible) throw orderNotFound();
    return (await this.repo.listForOrder(orderId)).map(refundView);
  }

  async list(status: string | undefined): Promise<RefundView[]> {
    return (await this.repo.list(status, 200)).map(refundView);
  }

  /** Executes every cancellation refund request left `pending` (optionally of one order). */
  async executePendingRequests(orderId?: string): Promise<number> {
    let n = 0;
    for (const req of await this.repo.pendingRequests(orderId)) {
      if (await this.executeRequest(req.id)) n++;
    }
    return n;
  }

  /**
   * A cancellation's refund request: the refund (if any) through the provider, the fee kept split
   * between store and technician, the request marked executed — once, whoever calls it.
   */
  async executeRequest(requestId: string): Promise<boolean> {
    const peek = await this.tenantContext.db().refundRequest.findFirst({ where: { id: requestId } });
    if (!peek) return false;
    const order = await this.payments.lockOrder(peek.orderId);
    const req = await this.repo.lockRequest(requestId);
    if (!order || !req || req.status !== 'pending') return false;
    // What the policy computed at cancellation, capped by what the order still holds now (a refund
    // given by hand meanwhile comes out of it), so the books can never give back more than came in.
    const existing = await this.repo.findByRequest(req.id);
    // a refund of this request that already succeeded (the provider settled it later) is in
    // refunded_fen already: it is part of what the request may use, not on top of it
    const settled = existing?.status === 'succeeded' ? existing.amountFen : 0;
    const available = refundableFen(
      order.paidFen,
      order.refundedFen - settled,
      await this.repo.inFlightFen(order.id, { requestId: req.id }),
    );
    const refundFen = existing ? existing.amountFen : Math.min(req.amountFen, available);
    const feeFen = Math.max(0, Math.min(req.feeFen, available - refundFen));
    const technicianShareFen = Math.min(req.technicianShareFen, feeFen);
    const payment = refundFen > 0 ? await this.paymentFor(order.id, refundFen) : null;
    if (refundFen > 0 && !payment && !existing) {
      await this.repo.setRequestStatus(req.id, 'failed');
      return false;
    }
    if (refundFen > 0) {
      const refund = existing ?? (await this.createForRequest(req, payment!, refundFen));
      const done = refund.status === 'approved' ? await this.execute(refund.id, order) : refund;
      if (done.status === 'failed') await this.repo.setRequestStatus(req.id, 'failed');
      if (done.status !== 'succeeded') return false;
    }
    const fee = cancellationFee({
      orderId: order.id,
      requestId: req.id,
      storeShareFen: feeFen - technicianShareFen,
      technicianShareFen,
      technicianId: order.technicianId,
    });
    if (fee) await this.ledger.post(fee);
    await this.repo.setRequestStatus(req.id, 'executed');
    return true;
  }

  private createForRequest(req: RefundRequest, payment: Payment, amountFen: number): Promise<Refund> {
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

  /** The first successful payment of the order (charge, then 加钟 supplements) that can still give back `amountFen`. */
  private async paymentFor(orderId: string, amountFen: number): Promise<Payment | null> {
    for (const p of await this.payments.succeededOf(orderId)) {
      if (p.amountFen - (await this.repo.claimedAgainst(p.id)) >= amountFen) return p;
    }
    return null;
  }

  /**
   * Sends an approved refund to the provider and books what it answers: succeeded or failed end
   * the refund (RefundCompletion); processing waits for the provider's notification or the
   * reconciliation query. Caller holds the order lock.
   */
  private async execute(refundId: string, order: OrderForPayment): Promise<Refund> {
    const refund = await this.repo.lock(refundId);
    if (!refund) throw refundNotFound();
    if (refund.status !== 'approved') return refund;
    const payment = await this.payments.find(refund.paymentId);
    const provider = payment ? this.registry.get(payment.provider) : undefined;
    const merchant = payment ? await this.merchants.forProvider(payment.provider) : null;
    if (!payment || !provider?.refund || !merchant) return this.completion.failed(refund, order);
    const result = await provider.refund({
      credentials: merchant.credentials,
      outTradeNo: payment.outTradeNo,
      outRefundNo: refund.outRefundNo,
      refundFen: refund.amountFen,
      totalFen: payment.amountFen,
      reason: refund.reason,
      ...(provider.verifyRefundCallback ? { notifyUrl: await this.notifyUrl(payment.provider) } : {}),
    });
    if (result.status === 'failed') return this.completion.failed(refund, order, result.providerRefundNo);
    if (result.status === 'processing') {
      // WeChat/Alipay may settle later; the refund stays in flight (counted against refundable).
      return this.repo.update(refund.id, { status: 'processing', providerRefundNo: result.providerRefundNo ?? null });
    }
    return this.completion.succeeded(refund, order, result.providerRefundNo);
  }

  /** Where the provider posts the refund's result: the store's callback route, like payments. */
  private async notifyUrl(provider: string): Promise<string> {
    return `${this.config.PUBLIC_URL}/t/${await this.repo.storeSlug()}/api/payments/callbacks/${provider}`;
  }
}
