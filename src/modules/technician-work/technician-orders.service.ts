import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { Order } from '../../generated/prisma/client';
import { APP_CONFIG } from '../../config/load-config';
import type { AppConfig } from '../../config/config.schema';
import type { Actor } from '../../platform/auth/actor';
import { FieldCipher } from '../../platform/crypto/field-cipher';
import { TenantContext } from '../../platform/database/tenant-context';
import { orderActorOf } from '../orders/order-actor';
import type { OrderEventName } from '../orders/order-state';
import { OrderTransitions } from '../orders/order-transitions.service';
import { CASH_COLLECTABLE } from '../payments/payments.service';
import { ORDER_ADDRESS_AAD, type AddressSnapshot } from '../orders/order-view';
import type { TechnicianOrderView } from './dto/technician-work.dto';
import { insideGeofence } from './geofence';
import { outsideGeofence } from './geofence-error';
import { TechnicianWorkRepository } from './technician-work.repository';

/** While the job is the technician's and not over, they see the address (PIPL: only then). */
const ACTIVE = ['assigned', 'accepted', 'departed', 'arrived', 'in_service'];

export type TechnicianStep = 'depart' | 'start' | 'complete';
const EVENT: Record<TechnicianStep, OrderEventName> = {
  depart: 'depart',
  start: 'start_service',
  complete: 'complete',
};

/**
 * The technician's own trip: 出发 → 到达签到 (geofenced) → 开始服务 → 完成签退. Every step goes
 * through OrderTransitions (409 ILLEGAL_TRANSITION out of order); someone else's order is 404.
 * Accepting is dispatch's: an offer's accept (`POST /api/dispatch/offers/:id/accept`); a grab-hall
 * claim is itself the acceptance (src/modules/dispatch/README.md). A shared-pool
 * order of another store runs the same steps through the platform path (shared-pool's PoolWorkService).
 */
@Injectable()
export class TechnicianOrdersService {
  constructor(
    private readonly repo: TechnicianWorkRepository,
    private readonly transitions: OrderTransitions,
    private readonly cipher: FieldCipher,
    private readonly tenantContext: TenantContext,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(actor: Actor): Promise<TechnicianOrderView[]> {
    const orders = await this.repo.ownOrders({ technicianId: actor.id, status: { not: 'pending_payment' } });
    return orders.map((o) => this.view(o));
  }

  async step(actor: Actor, orderId: string, step: TechnicianStep): Promise<TechnicianOrderView> {
    await this.own(actor, orderId);
    const updated = await this.transitions.apply(orderId, EVENT[step], orderActorOf(actor));
    return this.view(updated);
  }

  async arrive(actor: Actor, orderId: string, at: { lat: number; lng: number }): Promise<TechnicianOrderView> {
    const order = await this.own(actor, orderId);
    const radius = this.config.CHECKIN_GEOFENCE_M;
    const fence = insideGeofence(at, { lat: order.addressLat, lng: order.addressLng }, radius);
    if (!fence.inside) throw outsideGeofence(fence.distanceM, radius);
    const updated = await this.transitions.apply(orderId, 'arrive', orderActorOf(actor), null, {
      details: { lat: at.lat, lng: at.lng, distanceM: fence.distanceM },
    });
    return this.view(updated);
  }

  private async own(actor: Actor, orderId: string): Promise<Order> {
    const order = await this.repo.ownOrder(actor.id, orderId);
    if (!order || order.status === 'pending_payment') {
      throw new NotFoundException({ code: 'ORDER_NOT_FOUND', message: '订单不存在 / order not found' });
    }
    return order;
  }

  private view(o: Order): TechnicianOrderView {
    const base = {
      id: o.id,
      orderNo: o.orderNo,
      status: o.status,
      serviceName: o.serviceName,
      startAt: o.startAt,
      endAt: o.endAt,
      cashDueFen:
        o.paymentMethod === 'on_arrival' && o.paidAt === null && CASH_COLLECTABLE.includes(o.status) ? o.totalFen : 0,
    };
    if (!ACTIVE.includes(o.status)) return base;
    const a = JSON.parse(
      this.cipher.decrypt(o.addressEnc, ORDER_ADDRESS_AAD(this.tenantContext.tenantId())),
    ) as AddressSnapshot;
    return {
      ...base,
      address: {
        contactName: a.contactName,
        phoneMasked: o.contactPhoneMasked,
        addressText: a.addressText,
        houseNumber: a.houseNumber,
        lat: o.addressLat,
        lng: o.addressLng,
      },
    };
  }
}
