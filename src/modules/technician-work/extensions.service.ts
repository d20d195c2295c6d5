import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import type { OrderExtension } from '../../generated/prisma/client';
import type { Actor } from '../../platform/auth/actor';
import { TenantContext } from '../../platform/database/tenant-context';
import { RealtimeHub } from '../../platform/realtime/realtime-hub';
import { orderActorOf } from '../orders/order-actor';
import { OrderTransitions } from '../orders/order-transitions.service';
import { BusyTimeService, postgresCode } from '../scheduling/busy-time.service';
import { SlotTakenError } from '../scheduling/slot-taken.error';
import type { ExtensionView } from './dto/extension.dto';
import { TechnicianWorkRepository } from './technician-work.repository';

const notFound = () => new NotFoundException({ code: 'ORDER_NOT_FOUND', message: '订单不存在 / order not found' });

/**
 * 加钟 on the customer's word: the technician proposes `units` of the service's extension add-on
 * (an `order_extensions` row in `proposed`); the customer confirms, which extends the order the
 * same way staff do (busy time grows — 409 SLOT_TAKEN into the next booking — and an `extend`
 * transition), and the row becomes `pending_payment` for the existing supplementary payment
 * (`POST /api/orders/:id/extensions/:extId/pay`). A shared-pool order's extension is proposed by
 * the other store's technician through the platform path (shared-pool's PoolWorkService) and
 * confirmed here by this store's customer like any other.
 */
@Injectable()
export class ExtensionsService {
  constructor(
    private readonly repo: TechnicianWorkRepository,
    private readonly transitions: OrderTransitions,
    private readonly busy: BusyTimeService,
    private readonly hub: RealtimeHub,
    private readonly tenantContext: TenantContext,
  ) {}

  async propose(actor: Actor, orderId: string, units: number): Promise<ExtensionView> {
    const order = await this.repo.ownOrder(actor.id, orderId);
    if (!order || order.status === 'pending_payment') throw notFound();
    if (order.status !== 'in_service') {
      throw new ConflictException({
        code: 'ILLEGAL_TRANSITION',
        message: `订单状态 ${order.status} 不能加钟 / an order in status ${order.status} cannot be extended`,
      });
    }
    const addon = await this.repo.extensionAddon(order.serviceId);
    if (!addon || addon.minutes === null) {
      throw new ConflictException({
        code: 'EXTENSION_NOT_OFFERED',
        message: '该服务不提供加钟 / no extension offered',
      });
    }
    if (units > addon.maxQuantity) {
      const message = `at most ${addon.maxQuantity}`;
      throw new BadRequestException({
        code: 'ADDON_QUANTITY_OUT_OF_RANGE',
        message,
        fields: [{ field: 'units', messages: [message] }],
      });
    }
    const ext = await this.repo.insertExtension({
      orderId,
      addonId: addon.id,
      minutes: addon.minutes * units,
      amountFen: addon.priceFen * units,
      status: 'proposed',
    });
    // the customer's app asks them live (after commit); the proposal also shows on the order
    await this.hub.publish(this.tenantContext.tenantId(), `customer:${order.customerId}`, {
      type: 'order.extension_proposed',
      data: { ...extensionView(ext), orderNo: order.orderNo },
    });
    return extensionView(ext);
  }

  async confirm(actor: Actor, orderId: string, extensionId: string): Promise<ExtensionView> {
    const order = await this.transitions.lock(orderId);
    if (!order || actor.kind !== 'customer' || order.customerId !== actor.id) throw notFound();
    const ext = await this.repo.lockExtension(orderId, extensionId);
    if (!ext) throw new NotFoundException({ code: 'EXTENSION_NOT_FOUND', message: 'extension not found' });
    if (ext.status !== 'proposed') {
      if (ext.status === 'pending_payment' || ext.status === 'paid') return extensionView(ext); // confirmed already
      throw new ConflictException({ code: 'EXTENSION_NOT_PROPOSED', message: `extension is ${ext.status}` });
    }
    const endAt = new Date(order.endAt.getTime() + ext.minutes * 60_000);
    if (order.status === 'in_service' && order.technicianId) {
      await this.busy.releaseByReference(order.id);
      await this.busy.hold(order.technicianId, { start: order.startAt, end: endAt }, 'booking', {
        referenceId: order.id,
        location: { lat: order.addressLat, lng: order.addressLng },
      });
    } else if (order.status === 'in_service') {
      // a shared-pool order: the other store's technician's time grows through the platform path
      await this.repo.extendPoolHold(order.id, endAt, orderActorOf(actor)).catch((e: unknown) => {
        throw postgresCode(e) === '23P01' ? new SlotTakenError('shared-pool') : e;
      });
    }
    // apply() refuses anything but in_service (409) and rolls the new hold back with it
    await this.transitions.apply(orderId, 'extend', orderActorOf(actor), null, {
      locked: order,
      patch: { endAt, totalMinutes: order.totalMinutes + ext.minutes },
      details: { extensionId: ext.id, addonId: ext.addonId, minutes: ext.minutes, amountFen: ext.amountFen },
    });
    return extensionView(await this.repo.updateExtension(ext.id, { status: 'pending_payment' }));
  }
}

export function extensionView(e: OrderExtension): ExtensionView {
  return { id: e.id, orderId: e.orderId, minutes: e.minutes, amountFen: e.amountFen, status: e.status };
}
