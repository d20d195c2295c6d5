import { Injectable } from '@nestjs/common';
import type { PoolPublication, SharedPoolPort } from '../dispatch/shared-pool.port';
import { SharedPoolService } from './shared-pool.service';

/**
 * Dispatch's SHARED_POOL seam: when nobody at home took an order after the last radius step,
 * dispatch publishes it here — the same audited platform path (platform.publish_to_pool) and the
 * same push to taking stores' technicians as a manual publish, with the system as the actor.
 */
@Injectable()
export class PoolEscalationAdapter implements SharedPoolPort {
  constructor(private readonly pool: SharedPoolService) {}

  enabled(): Promise<boolean> {
    return this.pool.enabled();
  }

  publish(orderId: string): Promise<PoolPublication> {
    return this.pool.publishAs({ type: 'system', id: null }, orderId);
  }
}
