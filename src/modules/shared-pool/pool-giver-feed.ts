import { Injectable } from '@nestjs/common';
import { TenantContext } from '../../platform/database/tenant-context';
import { JobQueue } from '../../platform/queue/job-queue';
import { RealtimeHub } from '../../platform/realtime/realtime-hub';
import { POOL_GIVER_EFFECTS_JOB, poolGiverEffectsJobId, type PoolGiverStep } from './pool-giver-effects';
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
 * the platform function itself. What else the step means there (notices, the overrun check) is a
 * job of the giving store, queued after the commit (`effects`).
 */
@Injectable()
export class PoolGiverFeed {
  constructor(
    private readonly hub: RealtimeHub,
    private readonly jobs: JobQueue,
    private readonly tenantContext: TenantContext,
  ) {}

  /**
   * Queues `pool.giver_effects` for the giving store once this (taking) store's unit of work has
   * committed: outside it, so the job may name the other store; ids only.
   */
  async effects(o: GivingOrderRef, offerId: string, step: PoolGiverStep): Promise<void> {
    const payload = { tenantId: o.givingTenantId, orderId: o.orderId, offerId, step };
    await this.tenantContext.afterCommit(() =>
      this.jobs.enqueue(POOL_GIVER_EFFECTS_JOB, payload, { jobId: poolGiverEffectsJobId(offerId, step) }),
    );
  }

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
