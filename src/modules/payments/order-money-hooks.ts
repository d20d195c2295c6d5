import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { TenantContext } from '../../platform/database/tenant-context';
import { OrderTransitions } from '../orders/order-transitions.service';
import { OrderSettlementService } from './order-settlement.service';
import { RefundRequestsService } from './refund-requests.service';

/**
 * Money follows the order's status without the orders module knowing about payments:
 * - entering `cancelled`: the refund request the cancellation policy writes (in the same unit of
 *   work, after the transition) is executed right after that work commits — refund through the
 *   provider (between units of work of its own), fee split, ledger;
 * - entering `completed`: the order is settled (technician earning, platform fee, store revenue).
 * Both are idempotent, and the store's reconciliation job sweeps whatever failed here.
 */
@Injectable()
export class OrderMoneyHooks implements OnModuleInit {
  private readonly logger = new Logger('payments.order-hooks');

  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly tenantContext: TenantContext,
    private readonly requests: RefundRequestsService,
    private readonly settlement: OrderSettlementService,
  ) {}

  onModuleInit(): void {
    let transitions: OrderTransitions;
    try {
      transitions = this.moduleRef.get(OrderTransitions, { strict: false });
    } catch {
      this.logger.warn('orders module not loaded: refunds and settlement run from the reconciliation job only');
      return;
    }
    transitions.onEnter('cancelled', (order) =>
      // outside any unit of work: the refund goes to the provider between two of them
      this.later(order.paidFen > 0, (tenantId) => this.requests.executePending(tenantId, order.id)),
    );
    transitions.onEnter('completed', (order) =>
      this.later(order.paidFen > 0, (tenantId) =>
        this.tenantContext.run(tenantId, () => this.settlement.settleCompleted(1, order.id)),
      ),
    );
  }

  private async later(when: boolean, work: (tenantId: string) => Promise<unknown>): Promise<void> {
    if (!when) return;
    const tenantId = this.tenantContext.tenantId();
    await this.tenantContext.afterCommit(() => work(tenantId));
  }
}
