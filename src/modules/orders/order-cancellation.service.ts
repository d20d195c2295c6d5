import { Injectable } from '@nestjs/common';
import type { Prisma } from '../../generated/prisma/client';
import type { Actor } from '../../platform/auth/actor';
import type { AppAbility } from '../../platform/authz/app-ability';
import { accessibleBy } from '../../platform/authz/casl-prisma';
import { cancellationOutcome } from './cancellation-policy';
import type { CancelResultDto } from './dto/order.dto';
import { orderActorOf } from './order-actor';
import { effectiveSettings } from './order-settings';
import { OrderTransitions } from './order-transitions.service';
import { orderView } from './order-view';
import { OrdersRepository } from './orders.repository';
import { orderNotFound } from './order-not-found';

/**
 * Cancels by the store's policy: free until the window, then the fee schedule; a departed
 * technician gets their share. Writes the refund owed as a `refund_requests` row (see
 * refund.port.ts) in the same transaction as the `cancel` transition.
 */
@Injectable()
export class OrderCancellationService {
  constructor(
    private readonly repo: OrdersRepository,
    private readonly transitions: OrderTransitions,
  ) {}

  async cancel(
    ability: AppAbility,
    actor: Actor,
    id: string,
    reason: string,
    now = new Date(),
  ): Promise<CancelResultDto> {
    if (!(await this.repo.findOne(accessibleBy(ability, 'cancel').ofType('Order'), id))) throw orderNotFound();
    const order = await this.transitions.lock(id);
    if (!order) throw orderNotFound();
    const settings = effectiveSettings(await this.repo.settings());
    const outcome = cancellationOutcome({
      policy: settings.cancellation,
      startAt: order.startAt,
      now,
      paidFen: order.paidFen - order.refundedFen,
      technicianDeparted: order.status === 'departed' || order.status === 'arrived',
    });
    const cancelled = await this.transitions.apply(id, 'cancel', orderActorOf(actor), reason, {
      locked: order,
      patch: { cancelledAt: now, cancelReason: reason, paymentDueAt: null },
      details: { ...outcome },
    });
    if (order.paidFen === 0) return { order: orderView(cancelled), refund: null };
    const who = orderActorOf(actor);
    const request = await this.repo.insertRefundRequest({
      orderId: id,
      amountFen: outcome.refundFen,
      feeFen: outcome.feeFen,
      technicianShareFen: outcome.technicianShareFen,
      status: 'pending',
      reason,
      policy: {
        ...settings.cancellation,
        ...outcome,
        fees: [...settings.cancellation.fees],
      } as unknown as Prisma.InputJsonValue,
      requestedByType: who.type,
      requestedById: who.id,
    });
    return {
      order: orderView(cancelled),
      refund: {
        amountFen: request.amountFen,
        feeFen: request.feeFen,
        technicianShareFen: request.technicianShareFen,
        status: request.status,
      },
    };
  }
}
