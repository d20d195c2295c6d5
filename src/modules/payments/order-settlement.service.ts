import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../../config/load-config';
import type { AppConfig } from '../../config/config.schema';
import { TenantContext } from '../../platform/database/tenant-context';
import { LedgerService } from '../ledger/ledger.service';
import { orderSettlement } from '../ledger/ledger-postings';

/** A technician without a tier earns this share of an order (basis points). */
export const DEFAULT_COMMISSION_BPS = 5000;

/**
 * 结算: a completed order earns what it still holds — the technician's commission (their tier's
 * rate), the platform fee (PLATFORM_FEE_BPS) and the rest as store revenue. Once per order (the
 * journal's unique (kind, reference) makes a second posting impossible); run by the store's
 * reconciliation job for orders completed since.
 */
@Injectable()
export class OrderSettlementService {
  constructor(
    private readonly ledger: LedgerService,
    private readonly tenantContext: TenantContext,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Settles completed orders not settled yet (all, or just `orderId`). */
  async settleCompleted(limit = 200, orderId: string | null = null): Promise<number> {
    const rows = await this.tenantContext.db().$queryRaw<
      { id: string; technician_id: string; commission_bps: number | null }[]
    >`
      SELECT o.id, o.technician_id, tt.commission_bps
        FROM orders o
        JOIN technicians t ON t.tenant_id = o.tenant_id AND t.id = o.technician_id
        LEFT JOIN technician_tiers tt ON tt.tenant_id = t.tenant_id AND tt.id = t.tier_id
       WHERE o.status IN ('completed', 'reviewed') AND o.paid_fen > o.refunded_fen
         AND (${orderId}::uuid IS NULL OR o.id = ${orderId}::uuid)
         AND NOT EXISTS (SELECT 1 FROM journal_transactions j
                          WHERE j.kind = 'order_settlement' AND j.reference = o.id::text)
       ORDER BY o.updated_at LIMIT ${limit}`;
    let n = 0;
    for (const r of rows) {
      const held = await this.ledger.orderHeld(r.id);
      const posting =
        held > 0
          ? orderSettlement({
              orderId: r.id,
              technicianId: r.technician_id,
              heldFen: held,
              commissionBps: r.commission_bps ?? DEFAULT_COMMISSION_BPS,
              platformFeeBps: this.config.PLATFORM_FEE_BPS,
            })
          : null;
      if (posting) {
        await this.ledger.post(posting);
        n++;
      }
    }
    return n;
  }
}
