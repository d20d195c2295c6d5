import { Injectable } from '@nestjs/common';
import type { Payment, Refund } from '../../generated/prisma/client';
import { LedgerService } from '../ledger/ledger.service';
import { refundPaid, type FundsSource } from '../ledger/ledger-postings';
import { NotificationService } from '../notifications/notification.service';
import { OrdersPort } from './orders-port';
import { PaymentsRepository, type OrderForPayment } from './payments.repository';
import { RefundsRepository } from './refunds.repository';

/**
 * How a refund ends, whoever learns it first (the provider's answer to the refund call, its
 * notification, or a reconciliation query). Nothing is booked when a refund is sent: the journal
 * entry is written only once the money is back with the customer, so a refund that fails leaves
 * nothing to reverse. The caller holds the order lock, then the refund lock, and has checked the
 * refund is still in flight — that is what makes each of these happen once.
 */
@Injectable()
export class RefundCompletion {
  constructor(
    private readonly repo: RefundsRepository,
    private readonly payments: PaymentsRepository,
    private readonly ledger: LedgerService,
    private readonly orders: OrdersPort,
    private readonly notifications: NotificationService,
  ) {}

  /**
   * The money is back: the refund succeeds, the journal moves it out of what the order holds
   * (once per refund: (kind, reference) is unique), and the order's refunded amount and state move
   * — whose transition tells the customer (order.refunded).
   */
  async succeeded(refund: Refund, order: OrderForPayment, providerRefundNo?: string): Promise<Refund> {
    const payment = await this.payments.find(refund.paymentId);
    if (!payment) throw new Error(`refund ${refund.id} has no payment`);
    const done = await this.repo.update(refund.id, {
      status: 'succeeded',
      providerRefundNo: providerRefundNo ?? refund.providerRefundNo,
    });
    await this.ledger.post(
      refundPaid({
        source: fundsSourceOf(payment, order),
        refundId: refund.id,
        orderId: order.id,
        amountFen: refund.amountFen,
        heldFen: await this.ledger.orderHeld(order.id),
      }),
    );
    await this.orders.markRefunded(order.id, refund.amountFen);
    return done;
  }

  /**
   * The refund did not happen (refused, closed, abnormal): it no longer holds part of what is
   * refundable, a cancellation's request is marked failed, and the store's staff are alerted —
   * the customer is still owed the money.
   */
  async failed(refund: Refund, order: OrderForPayment, providerRefundNo?: string): Promise<Refund> {
    const done = await this.repo.update(refund.id, {
      status: 'failed',
      providerRefundNo: providerRefundNo ?? refund.providerRefundNo,
    });
    if (refund.refundRequestId) await this.repo.setRequestStatus(refund.refundRequestId, 'failed');
    await this.notifications.notifyStaff({
      template: 'staff.refund_failed',
      params: { orderNo: order.orderNo, amountFen: refund.amountFen },
      channels: ['in_app', 'email'],
      orderId: order.id,
    });
    return done;
  }
}

export function fundsSourceOf(p: Payment, order: OrderForPayment): FundsSource {
  if (p.provider === 'balance') return { kind: 'wallet', customerId: p.customerId };
  if (p.provider === 'cash') return { kind: 'cash', technicianId: order.technicianId ?? p.customerId };
  return { kind: 'provider', provider: p.provider as 'wechat' | 'alipay' | 'sandbox' };
}
