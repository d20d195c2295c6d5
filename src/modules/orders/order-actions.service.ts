import { Injectable } from '@nestjs/common';
import type { Actor } from '../../platform/auth/actor';
import type { AppAbility } from '../../platform/authz/app-ability';
import { accessibleBy } from '../../platform/authz/casl-prisma';
import { BusyTimeService } from '../scheduling/busy-time.service';
import type { OrderDto, TransitionDto } from './dto/order.dto';
import { orderActorOf } from './order-actor';
import { OrderTransitions } from './order-transitions.service';
import { orderView } from './order-view';
import { OrdersRepository } from './orders.repository';
import { orderNotFound } from './orders.service';
import { fieldError } from './quotes.service';

/**
 * Staff moves an order along (manual dispatch, check-in/out on a technician's behalf). Technician
 * self-service and the dispatch engine will call OrderTransitions the same way.
 */
@Injectable()
export class OrderActionsService {
  constructor(
    private readonly repo: OrdersRepository,
    private readonly transitions: OrderTransitions,
    private readonly busy: BusyTimeService,
  ) {}

  async transition(ability: AppAbility, actor: Actor, id: string, body: TransitionDto): Promise<OrderDto> {
    if (!(await this.repo.findOne(accessibleBy(ability, 'update').ofType('Order'), id))) throw orderNotFound();
    const order = await this.transitions.lock(id);
    if (!order) throw orderNotFound();
    let patch = {};
    if (body.event === 'assign') {
      const technicianId = body.technicianId ?? order.technicianId;
      if (!technicianId) throw fieldError('TECHNICIAN_REQUIRED', 'technicianId', 'assign needs a technician');
      if (technicianId !== order.technicianId) {
        // Move the busy time to the new technician in the same transaction (409 SLOT_TAKEN if they are busy).
        await this.busy.releaseByReference(order.id);
        const hold = await this.busy.hold(technicianId, { start: order.startAt, end: order.endAt }, 'booking', {
          referenceId: order.id,
          location: { lat: order.addressLat, lng: order.addressLng },
        });
        patch = { technicianId, holdId: hold.id };
      }
    }
    const updated = await this.transitions.apply(id, body.event, orderActorOf(actor), body.reason ?? null, {
      locked: order,
      patch,
    });
    return orderView(updated);
  }
}
