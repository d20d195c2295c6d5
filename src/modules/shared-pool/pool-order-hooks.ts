import { Injectable, type OnModuleInit } from '@nestjs/common';
import { OrderTransitions } from '../orders/order-transitions.service';
import { SharedPoolRepository } from './shared-pool.repository';

/**
 * An order of this store that is assigned at home (offer, grab, staff) or cancelled leaves the
 * shared pool in the same unit of work (platform.withdraw_pool_offer, audited only when an offer
 * was open). It runs with the order row locked, and the pool offer comes after the order in the
 * lock order (src/modules/dispatch/README.md).
 */
@Injectable()
export class PoolOrderHooks implements OnModuleInit {
  constructor(
    private readonly transitions: OrderTransitions,
    private readonly repo: SharedPoolRepository,
  ) {}

  onModuleInit(): void {
    for (const status of ['assigned', 'cancelled']) {
      this.transitions.onEnter(status, async (order) => {
        await this.repo.withdraw(order.id, { type: 'system', id: null });
      });
    }
  }
}
