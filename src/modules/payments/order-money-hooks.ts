import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { TenantContext } from '../../platform/database/tenant-context';
import { OrderTransitions } from '../orders/order-transitions.service';
import { OrderSettlementService } from './order-settlement.service';
import { RefundsService } from './refunds.service';

/**
 * Money follows the order's status without the orders module knowing about payments:
 * - entering `cancelled`: the refund request the cancellation policy writes (in the same unit of
 *   work, after the transition) is executed right after that work commits — refund through the
 *   provider, fee split, ledger — in its own unit of work;
 * - entering `completed`: the order is settled (technician earning, platform fee, store revenue).
 * Both are idempotent, and the store's reconciliation job sweeps whatever failed here.
 */
@Injectable()
export class OrderMoneyHooks implements OnModuleInit {
  private readonly logger = new Logger('payments.order-hooks');

  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly tenantContext: TenantContext,
    private readonly refunds: RefundsService,
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
      this.later(order.paidFen > 0, () => this.refunds.executePendingRequests(order.id)),
    );
    transitions.onEnter('completed', (order) =>
      this.later(order.paidFen > 0, () => this.settlement.settleCompleted(1, order.id)),
    );
  }

  private async later(when: boolean, work: () => Promise<unknown>): Promise<void> {
    if (!when) return;
    const tenantId = this.tenantContext.tenantId();
    await this.tenantContext.afterCommit(() => this.tenantContext.run(tenantId, work));
  }
}
