import { Injectable } from '@nestjs/common';
import type { Actor } from '../../platform/auth/actor';
import type { AppAbility } from '../../platform/authz/app-ability';
import { accessibleBy } from '../../platform/authz/casl-prisma';
import { BusyTimeService } from '../scheduling/busy-time.service';
import type { ExtendOrderDto, OrderDto, OrderExtensionDto, TransitionDto } from './dto/order.dto';
import { orderActorOf } from './order-actor';
import { OrderTransitions } from './order-transitions.service';
import { orderView } from './order-view';
import { OrdersRepository } from './orders.repository';
import { orderNotFound } from './order-not-found';
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

  /**
   * 加钟 during the service: an `order_extensions` row (the supplementary charge the payments
   * module collects, see OrdersPaymentPort.markExtensionPaid) and an `extend` event; the end
   * time and the technician's busy time grow by the extension (409 SLOT_TAKEN when that would
   * run into their next booking — nothing is written then).
   */
  async extend(ability: AppAbility, actor: Actor, id: string, body: ExtendOrderDto): Promise<OrderExtensionDto> {
    if (!(await this.repo.findOne(accessibleBy(ability, 'update').ofType('Order'), id))) throw orderNotFound();
    const order = await this.transitions.lock(id);
    if (!order) throw orderNotFound();
    const addon = await this.repo.activeAddon(body.addonId);
    if (
      !addon ||
      addon.kind !== 'extension' ||
      addon.minutes === null ||
      (addon.serviceId ?? order.serviceId) !== order.serviceId
    ) {
      throw fieldError('ADDON_NOT_AVAILABLE', 'addonId', '该加钟项不可用 / this extension is not offered here');
    }
    if (body.quantity > addon.maxQuantity) {
      throw fieldError('ADDON_QUANTITY_OUT_OF_RANGE', 'quantity', `at most ${addon.maxQuantity}`);
    }
    const minutes = addon.minutes * body.quantity;
    const endAt = new Date(order.endAt.getTime() + minutes * 60_000);
    if (order.status === 'in_service' && order.technicianId) {
      await this.busy.releaseByReference(order.id);
      await this.busy.hold(order.technicianId, { start: order.startAt, end: endAt }, 'booking', {
        referenceId: order.id,
        location: { lat: order.addressLat, lng: order.addressLng },
      });
    }
    const amountFen = addon.priceFen * body.quantity;
    // apply() refuses anything but in_service (409 ILLEGAL_TRANSITION) and rolls the hold back with it
    const updated = await this.transitions.apply(id, 'extend', orderActorOf(actor), null, {
      locked: order,
      patch: { endAt, totalMinutes: order.totalMinutes + minutes },
      details: { addonId: addon.id, quantity: body.quantity, minutes, amountFen },
    });
    const ext = await this.repo.insertExtension({ orderId: id, addonId: addon.id, minutes, amountFen });
    return { id: ext.id, minutes, amountFen, status: ext.status, order: orderView(updated) };
  }
}
