import { Injectable, type OnModuleInit } from '@nestjs/common';
import { RealtimeHub } from '../../platform/realtime/realtime-hub';
import { OrderTransitions } from '../orders/order-transitions.service';
import { SharedPoolRepository, type PoolActor } from './shared-pool.repository';

const SYSTEM: PoolActor = { type: 'system', id: null };

/**
 * An order of this store that is assigned at home (offer, grab, staff) or cancelled leaves the
 * shared pool in the same unit of work (platform.withdraw_pool_offer, audited only when an offer
 * was open); one cancelled while another store's technician holds it gives their time back there
 * (platform.pool_order_cancelled) and tells them. Both run with the order row locked, and the pool
 * offer comes after the order in the lock order (src/modules/dispatch/README.md).
 */
@Injectable()
export class PoolOrderHooks implements OnModuleInit {
  constructor(
    private readonly transitions: OrderTransitions,
    private readonly repo: SharedPoolRepository,
    private readonly hub: RealtimeHub,
  ) {}

  onModuleInit(): void {
    this.transitions.onEnter('assigned', async (order, from) => {
      // Only a dispatching order can be offered to the pool (a booked technician's order never is).
      if (from === 'dispatching') await this.repo.withdraw(order.id, SYSTEM);
    });
    this.transitions.onEnter('cancelled', async (order) => {
      if (await this.repo.withdraw(order.id, SYSTEM)) return;
      const held = await this.repo.cancelTaken(order.id, SYSTEM);
      if (!held) return;
      await this.hub.publish(held.takerTenantId, `technician:${held.takerTechnicianId}`, {
        type: 'pool.order_cancelled',
        data: { offerId: held.offerId },
      });
    });
  }
}
