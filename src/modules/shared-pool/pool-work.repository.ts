import { Injectable } from '@nestjs/common';
import type { Prisma } from '../../generated/prisma/client';
import { TenantContext } from '../../platform/database/tenant-context';
import type { GivingOrderRef, PoolActor } from './shared-pool.repository';

export type PoolStepEvent = 'depart' | 'arrive' | 'start_service' | 'complete';

export interface StepRow extends GivingOrderRef {
  fromStatus: string;
  toStatus: string;
}

export interface ProposedExtensionRow extends GivingOrderRef {
  extensionId: string;
  minutes: number;
  amountFen: number;
}

/**
 * The holder's trip on another store's order, through the platform.* functions only (each checks
 * that the tenant it acts for is the current one, that this technician holds the offer, and audits).
 */
@Injectable()
export class PoolWorkRepository {
  constructor(private readonly tenantContext: TenantContext) {}

  private get db() {
    return this.tenantContext.db();
  }

  private get tenantId() {
    return this.tenantContext.tenantId();
  }

  async step(
    offerId: string,
    technicianId: string,
    event: PoolStepEvent,
    details: Prisma.InputJsonValue,
    actor: PoolActor,
  ): Promise<StepRow> {
    const rows = await this.db.$queryRaw<StepRow[]>`
      SELECT giving_tenant_id AS "givingTenantId", order_id AS "orderId", order_no AS "orderNo",
             customer_id AS "customerId", from_status AS "fromStatus", to_status AS "toStatus"
        FROM platform.pool_order_step(${offerId}::uuid, ${this.tenantId}::uuid, ${technicianId}::uuid, ${event},
                                      ${JSON.stringify(details)}::jsonb, ${actor.type}, ${actor.id})`;
    return rows[0]!;
  }

  /** The giving store's side of a completed pool order (platform.settle_pool_order, once, audited). */
  async settle(
    offerId: string,
    technicianId: string,
    platformFeeBps: number,
    actor: PoolActor,
  ): Promise<{ shareFen: number; posted: boolean }> {
    const rows = await this.db.$queryRaw<{ shareFen: number; posted: boolean }[]>`
      SELECT share_fen AS "shareFen", posted
        FROM platform.settle_pool_order(${offerId}::uuid, ${this.tenantId}::uuid, ${technicianId}::uuid,
                                        ${platformFeeBps}::int, ${actor.type}, ${actor.id})`;
    return rows[0]!;
  }

  /** The technician's commission rate in this store (their tier's), null without a tier. */
  async commissionBps(technicianId: string): Promise<number | null> {
    const rows = await this.db.$queryRaw<{ bps: number | null }[]>`
      SELECT tt.commission_bps AS bps
        FROM technicians t LEFT JOIN technician_tiers tt ON tt.tenant_id = t.tenant_id AND tt.id = t.tier_id
       WHERE t.id = ${technicianId}::uuid`;
    return rows[0]?.bps ?? null;
  }

  async proposeExtension(
    offerId: string,
    technicianId: string,
    units: number,
    actor: PoolActor,
  ): Promise<ProposedExtensionRow> {
    const rows = await this.db.$queryRaw<ProposedExtensionRow[]>`
      SELECT extension_id AS "extensionId", minutes, amount_fen AS "amountFen", giving_tenant_id AS "givingTenantId",
             order_id AS "orderId", order_no AS "orderNo", customer_id AS "customerId"
        FROM platform.pool_order_propose_extension(${offerId}::uuid, ${this.tenantId}::uuid, ${technicianId}::uuid,
                                                   ${units}::int, ${actor.type}, ${actor.id})`;
    return rows[0]!;
  }
}
