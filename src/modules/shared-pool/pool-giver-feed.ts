import { Injectable } from '@nestjs/common';
import { RealtimeHub } from '../../platform/realtime/realtime-hub';
import type { GivingOrderRef } from './shared-pool.repository';

export interface StatusChange {
  event: string;
  from: string;
  to: string;
}

/**
 * The giving store's side of a pool order's progress, live: the same `order.status` events its
 * own transitions publish (OrderStatusBroadcaster), on its customer's, the order's and its staff's
 * topics, after the commit. Only Redis is touched; the rows (order, order events) were written by
 * the platform function itself.
 */
@Injectable()
export class PoolGiverFeed {
  constructor(private readonly hub: RealtimeHub) {}

  /** Claimed from the pool: the giving store's technicians hear it left their grab hall (id only). */
  async takenFromHall(o: GivingOrderRef): Promise<void> {
    await this.hub.publish(o.givingTenantId, 'technicians', {
      type: 'grab.taken',
      data: { orderId: o.orderId, takenAt: new Date().toISOString() },
    });
  }

  async statusChanged(o: GivingOrderRef, changes: readonly StatusChange[]): Promise<void> {
    const topics = [`customer:${o.customerId}`, `order:${o.orderId}`, 'staff'] as const;
    for (const c of changes) {
      const data = { orderId: o.orderId, orderNo: o.orderNo, event: c.event, from: c.from, to: c.to };
      for (const topic of topics) await this.hub.publish(o.givingTenantId, topic, { type: 'order.status', data });
    }
  }
}
