import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import type { Order } from '../../generated/prisma/client';
import { SYSTEM } from './order-actor';
import { OrderTransitions } from './order-transitions.service';
import { OrdersRepository } from './orders.repository';
import { orderNotFound } from './order-not-found';

/**
 * What the payments module may do to an order — nothing else touches order status from there.
 * Call inside the store's tenant context (a callback handler runs TenantContext.run first), in
 * the same transaction that records the payment, so "paid" and the payment row commit together.
 *
 * - `markPaid`: pending_payment → paid (event `pay`), then at once → assigned when a technician
 *   was chosen at booking (their busy time is already held), else → dispatching. Idempotent for
 *   the same paymentId (a replayed callback returns the order unchanged); a different amount than
 *   the order total → 409 PAYMENT_AMOUNT_MISMATCH, nothing changes.
 * - `markRefunded`: adds to `refunded_fen` and moves to refunded (everything paid is back) or
 *   partially_refunded. The caller guarantees it executed exactly this refund once.
 */
@Injectable()
export class OrdersPaymentPort {
  constructor(
    private readonly transitions: OrderTransitions,
    private readonly repo: OrdersRepository,
  ) {}

  /** Takes the order's row lock and returns the whole row (e.g. to hand to markPaid as `locked`). */
  lock(orderId: string): Promise<Order | null> {
    return this.transitions.lock(orderId);
  }

  /** `locked`: the caller already holds this order's row lock (lock()) and has this row. */
  async markPaid(
    orderId: string,
    payment: { paymentId: string; amountFen: number },
    opts: { locked?: Order } = {},
  ): Promise<Order> {
    const order = opts.locked?.id === orderId ? opts.locked : await this.transitions.lock(orderId);
    if (!order) throw orderNotFound();
    if (order.paymentId === payment.paymentId && order.paidAt !== null) return order;
    if (payment.amountFen !== order.totalFen) {
      throw new ConflictException({
        code: 'PAYMENT_AMOUNT_MISMATCH',
        message: `paid ${payment.amountFen} fen, order total is ${order.totalFen} fen`,
      });
    }
    const paid = await this.transitions.apply(orderId, 'pay', SYSTEM, null, {
      locked: order,
      patch: { paidFen: payment.amountFen, paymentId: payment.paymentId, paidAt: new Date(), paymentDueAt: null },
      details: { paymentId: payment.paymentId, amountFen: payment.amountFen },
    });
    const next = paid.technicianId ? 'assign' : 'dispatch';
    return this.transitions.apply(orderId, next, SYSTEM, 'paid', { locked: paid });
  }

  /**
   * A 加钟 supplementary charge was paid: the extension becomes `paid` and the order's `paid_fen`
   * grows by it (so refunds and the ledger see one paid total). Same paymentId again → no change.
   */
  async markExtensionPaid(extensionId: string, payment: { paymentId: string; amountFen: number }): Promise<void> {
    const ext = await this.repo.lockExtension(extensionId);
    if (!ext) throw new NotFoundException({ code: 'EXTENSION_NOT_FOUND', message: 'extension not found' });
    if (ext.status === 'paid' && ext.paymentId === payment.paymentId) return;
    if (ext.status !== 'pending_payment' || payment.amountFen !== ext.amountFen) {
      throw new ConflictException({
        code: 'PAYMENT_AMOUNT_MISMATCH',
        message: 'extension is not payable with this amount',
      });
    }
    const order = await this.transitions.lock(ext.orderId);
    if (!order) throw orderNotFound();
    await this.repo.updateExtension(extensionId, { status: 'paid', paymentId: payment.paymentId });
    await this.repo.update(order.id, { paidFen: order.paidFen + payment.amountFen });
  }

  async markRefunded(orderId: string, amountFen: number): Promise<Order> {
    const order = await this.transitions.lock(orderId);
    if (!order) throw orderNotFound();
    const refunded = order.refundedFen + amountFen;
    if (!Number.isInteger(amountFen) || amountFen <= 0 || refunded > order.paidFen) {
      throw new ConflictException({ code: 'REFUND_EXCEEDS_PAID', message: 'refund is more than was paid' });
    }
    const event = refunded === order.paidFen ? 'refund' : 'refund_partial';
    return this.transitions.apply(orderId, event, SYSTEM, null, {
      locked: order,
      patch: { refundedFen: refunded },
      details: { amountFen },
    });
  }
}
