import { randomUUID } from 'node:crypto';
import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import type { Refund } from '../../generated/prisma/client';
import type { Actor } from '../../platform/auth/actor';
import type { AppAbility } from '../../platform/authz/app-ability';
import { accessibleBy } from '../../platform/authz/casl-prisma';
import { TenantContext } from '../../platform/database/tenant-context';
import type { CreateRefundDto, RefundView } from './dto/refund.dto';
import { assertOutsideUnitOfWork } from './outside-transaction';
import { outRefundNoOf } from './payment-checks';
import { PaymentsRepository } from './payments.repository';
import { orderNotFound } from '../orders/order-not-found';
import { REFUND_ASKABLE_ORDER_STATUSES, refundableFen, refundWithinPolicy } from './refund-rules';
import { RefundSubmission } from './refund-submission.service';
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
    cashHandover:
      r.cashReference && r.cashHandedBackBy && r.cashHandedBackAt
        ? { reference: r.cashReference, handedBackBy: r.cashHandedBackBy, handedBackAt: r.cashHandedBackAt }
        : null,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

/**
 * Refunds asked by a customer or staff (a cancellation's refunds: RefundRequestsService). Lock
 * order: the order row first, then the refund — the same everywhere, so two refunds of one order
 * serialise and their sum can never pass what was paid. Asking and approving write the refund in
 * one unit of work and commit it; only an `approved` refund is then sent to the provider, outside
 * any transaction (RefundSubmission), so these two run outside a unit of work themselves.
 */
@Injectable()
export class RefundsService {
  constructor(
    private readonly repo: RefundsRepository,
    private readonly payments: PaymentsRepository,
    private readonly submission: RefundSubmission,
    private readonly tenantContext: TenantContext,
  ) {}

  async request(
    actor: Actor,
    ability: AppAbility,
    tenantId: string,
    orderId: string,
    dto: CreateRefundDto,
  ): Promise<RefundView> {
    assertOutsideUnitOfWork(this.tenantContext, 'RefundsService.request');
    const refund = await this.tenantContext.run(tenantId, () => this.create(actor, ability, orderId, dto));
    return refundView(refund.status === 'approved' ? await this.submission.submit(tenantId, refund.id) : refund);
  }

  /** Approving again changes nothing — except that a refund approved but never confirmed sent is sent (again). */
  async approve(actor: Actor, tenantId: string, id: string): Promise<RefundView> {
    assertOutsideUnitOfWork(this.tenantContext, 'RefundsService.approve');
    const refund = await this.tenantContext.run(tenantId, () => this.markApproved(actor, id));
    return refundView(refund.status === 'approved' ? await this.submission.submit(tenantId, refund.id) : refund);
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
    if (!(await this.visibleOrder(ability, orderId, {}))) throw orderNotFound();
    return (await this.repo.listForOrder(orderId)).map(refundView);
  }

  async list(status: string | undefined): Promise<RefundView[]> {
    return (await this.repo.list(status, 200)).map(refundView);
  }

  private async create(actor: Actor, ability: AppAbility, orderId: string, dto: CreateRefundDto): Promise<Refund> {
    const mine = actor.kind === 'customer' ? { customerId: actor.id } : {};
    if (!(await this.visibleOrder(ability, orderId, mine))) throw orderNotFound();
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
    const payment = await this.repo.paymentToRefund(order.id, dto.amountFen);
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
    return this.repo.create({
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
  }

  private async markApproved(actor: Actor, id: string): Promise<Refund> {
    const found = await this.repo.find(id);
    if (!found) throw refundNotFound();
    const order = await this.payments.lockOrder(found.orderId);
    const refund = await this.repo.lock(id);
    if (!order || !refund) throw refundNotFound();
    if (refund.status === 'rejected')
      throw new ConflictException({ code: 'REFUND_REJECTED', message: 'this refund was rejected' });
    if (refund.status !== 'requested') return refund; // already decided
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
    return this.repo.update(id, { status: 'approved', approvedBy: actor.id });
  }

  private visibleOrder(ability: AppAbility, id: string, extra: { customerId?: string }) {
    return this.tenantContext.db().order.findFirst({
      where: { AND: [accessibleBy(ability).ofType('Order'), { id, ...extra }] },
      select: { id: true },
    });
  }
}
