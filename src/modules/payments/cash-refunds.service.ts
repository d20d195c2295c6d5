import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import type { Actor } from '../../platform/auth/actor';
import { AuditService } from '../../platform/audit/audit.service';
import type { CashHandoverDto, RefundView } from './dto/refund.dto';
import { PaymentsRepository } from './payments.repository';
import { RefundCompletion } from './refund-completion.service';
import { RefundRequestsService } from './refund-requests.service';
import { RefundsRepository } from './refunds.repository';
import { refundView } from './refunds.service';

const refundNotFound = () => new NotFoundException({ code: 'REFUND_NOT_FOUND', message: 'refund not found' });

/**
 * 到付 refunds: the money goes back as cash from the store's counter, so the refund is finished by
 * a staff member recording that they handed it back — a reference (receipt number), who, when.
 * That record and the journal entry it books (clearing:cash) are written together, once: the
 * order's refunded amount moves and the customer is told, a cancellation's request is settled.
 * Recording the same reference again returns the refund unchanged; another reference is a conflict.
 */
@Injectable()
export class CashRefundsService {
  constructor(
    private readonly repo: RefundsRepository,
    private readonly payments: PaymentsRepository,
    private readonly completion: RefundCompletion,
    private readonly requests: RefundRequestsService,
    private readonly audit: AuditService,
  ) {}

  async recordHandover(actor: Actor, refundId: string, dto: CashHandoverDto): Promise<RefundView> {
    const found = await this.repo.find(refundId);
    if (!found) throw refundNotFound();
    const order = await this.payments.lockOrder(found.orderId);
    const refund = await this.repo.lock(refundId);
    const payment = await this.payments.find(found.paymentId);
    if (!order || !refund || !payment) throw refundNotFound();
    if (payment.provider !== 'cash') {
      throw new ConflictException({
        code: 'NOT_A_CASH_REFUND',
        message: '该退款原路退回，无需现金交接 / this refund goes back through its payment provider, not in cash',
      });
    }
    if (refund.cashReference !== null) {
      if (refund.cashReference === dto.reference) return refundView(refund);
      throw new ConflictException({
        code: 'CASH_ALREADY_HANDED_BACK',
        message: `已记录现金退还（${refund.cashReference}）/ the cash was already recorded as handed back`,
      });
    }
    if (refund.status !== 'processing') {
      throw new ConflictException({
        code: 'REFUND_NOT_AWAITING_CASH',
        message: `a refund in status ${refund.status} is not waiting to be handed back`,
      });
    }
    const handedBackAt = dto.handedBackAt ?? new Date();
    const recorded = await this.repo.update(refund.id, {
      cashReference: dto.reference,
      cashHandedBackBy: actor.id,
      cashHandedBackAt: handedBackAt,
      status: 'succeeded',
    });
    const done = await this.completion.succeeded(recorded, order);
    if (refund.refundRequestId) await this.requests.settle(refund.refundRequestId);
    await this.audit.record({
      actorType: 'staff',
      actorId: actor.id,
      action: 'payments.cash_refund_handed_back',
      targetType: 'refund',
      targetId: refund.id,
      details: { orderId: order.id, amountFen: refund.amountFen, reference: dto.reference, handedBackAt },
    });
    return refundView(done);
  }
}
