import { Inject, Injectable } from '@nestjs/common';
import type { PlatformSettings, PrismaClient } from '../../generated/prisma/client';
import { PRISMA } from '../../platform/database/database.tokens';
import { TenantContext } from '../../platform/database/tenant-context';

export type PoolRole = 'none' | 'giver' | 'taker' | 'both';
export interface PoolActor {
  type: string;
  id: string | null;
}

export interface PoolOfferRow {
  offerId: string;
  serviceName: string;
  durationMinutes: number;
  startAt: Date;
  areaLat: number;
  areaLng: number;
  distanceM: number;
  priceFen: number;
  takerShareFen: number;
}

export interface PublishedRow {
  offerId: string;
  status: string;
  takerShareFen: number;
  serviceName: string;
  durationMinutes: number;
  startAt: Date;
  areaLat: number;
  areaLng: number;
  priceFen: number;
}

/** The giving store's order a pool function acted on: for the live status push only, never shown. */
export interface GivingOrderRef {
  givingTenantId: string;
  orderId: string;
  orderNo: string;
  customerId: string;
}

export interface ClaimedRow extends GivingOrderRef {
  offerId: string;
  startAt: Date;
  endAt: Date;
  areaLat: number;
  areaLng: number;
  takerShareFen: number;
}

export interface ContactRow {
  givingTenantId: string;
  addressEnc: Uint8Array;
  contactPhoneMasked: string;
  addressLat: number;
  addressLng: number;
  orderStatus: string;
}

export interface HeldRow {
  offerId: string;
  serviceName: string;
  durationMinutes: number;
  startAt: Date;
  takerShareFen: number;
  orderStatus: string;
}

/**
 * The shared pool is reached only through the platform.* SECURITY DEFINER functions, called in
 * the store's own unit of work (each checks the tenant argument is the current one and audits).
 * The platform settings row is a platform table read and written with the root client.
 */
@Injectable()
export class SharedPoolRepository {
  constructor(
    private readonly tenantContext: TenantContext,
    @Inject(PRISMA) private readonly prisma: PrismaClient,
  ) {}

  private get db() {
    return this.tenantContext.db();
  }

  private get tenantId() {
    return this.tenantContext.tenantId();
  }

  settings(): Promise<PlatformSettings> {
    return this.prisma.platformSettings.findUniqueOrThrow({ where: { id: true } });
  }

  updateSettings(patch: { sharedPoolEnabled?: boolean; poolTakerShareBps?: number }, operatorId: string) {
    return this.prisma.platformSettings.update({ where: { id: true }, data: { ...patch, updatedBy: operatorId } });
  }

  async role(): Promise<PoolRole> {
    const rows = await this.db.$queryRaw<
      { role: PoolRole }[]
    >`SELECT platform.pool_role(${this.tenantId}::uuid) AS role`;
    return rows[0]!.role;
  }

  async publish(orderId: string, actor: PoolActor) {
    const rows = await this.db.$queryRaw<PublishedRow[]>`
      SELECT offer_id AS "offerId", status, taker_share_fen AS "takerShareFen", service_name AS "serviceName",
             duration_minutes AS "durationMinutes", start_at AS "startAt", area_lat AS "areaLat",
             area_lng AS "areaLng", price_fen AS "priceFen"
        FROM platform.publish_to_pool(${this.tenantId}::uuid, ${orderId}::uuid, ${actor.type}, ${actor.id})`;
    return rows[0]!;
  }

  /** Takes the order's open offer back (assigned at home, cancelled); false when none was open. */
  async withdraw(orderId: string, actor: PoolActor): Promise<boolean> {
    const rows = await this.db.$queryRaw<{ withdrawn: boolean }[]>`
      SELECT platform.withdraw_pool_offer(${this.tenantId}::uuid, ${orderId}::uuid, ${actor.type}, ${actor.id})
             AS withdrawn`;
    return rows[0]?.withdrawn ?? false;
  }

  /**
   * This store cancelled an order another store's technician holds: their busy time there is
   * given back (platform.pool_order_cancelled, audited); returns whom to tell, or null.
   */
  async cancelTaken(
    orderId: string,
    actor: PoolActor,
  ): Promise<{ takerTenantId: string; takerTechnicianId: string; offerId: string } | null> {
    const rows = await this.db.$queryRaw<{ takerTenantId: string; takerTechnicianId: string; offerId: string }[]>`
      SELECT taker_tenant_id AS "takerTenantId", taker_technician_id AS "takerTechnicianId", offer_id AS "offerId"
        FROM platform.pool_order_cancelled(${this.tenantId}::uuid, ${orderId}::uuid, ${actor.type}, ${actor.id})`;
    return rows[0] ?? null;
  }

  takersNear(offerId: string, radiusM: number, actor: PoolActor) {
    return this.db.$queryRaw<{ tenantId: string; technicianId: string; distanceM: number }[]>`
      SELECT tenant_id AS "tenantId", technician_id AS "technicianId", distance_m AS "distanceM"
        FROM platform.pool_takers_near(${this.tenantId}::uuid, ${offerId}::uuid, ${radiusM}::float8,
                                       ${actor.type}, ${actor.id})`;
  }

  near(lat: number, lng: number, radiusM: number, actor: PoolActor): Promise<PoolOfferRow[]> {
    return this.db.$queryRaw<PoolOfferRow[]>`
      SELECT offer_id AS "offerId", service_name AS "serviceName", duration_minutes AS "durationMinutes",
             start_at AS "startAt", area_lat AS "areaLat", area_lng AS "areaLng", distance_m AS "distanceM",
             price_fen AS "priceFen", taker_share_fen AS "takerShareFen"
        FROM platform.pool_offers_near(${this.tenantId}::uuid, ${lat}::float8, ${lng}::float8, ${radiusM}::float8,
                                       ${actor.type}, ${actor.id})`;
  }

  async claim(offerId: string, technicianId: string, actor: PoolActor): Promise<ClaimedRow> {
    const rows = await this.db.$queryRaw<ClaimedRow[]>`
      SELECT offer_id AS "offerId", start_at AS "startAt", end_at AS "endAt", area_lat AS "areaLat",
             area_lng AS "areaLng", taker_share_fen AS "takerShareFen", giving_tenant_id AS "givingTenantId",
             order_id AS "orderId", order_no AS "orderNo", customer_id AS "customerId"
        FROM platform.claim_pool_offer(${offerId}::uuid, ${this.tenantId}::uuid, ${technicianId}::uuid,
                                       ${actor.type}, ${actor.id})`;
    return rows[0]!;
  }

  async contact(offerId: string, technicianId: string, actor: PoolActor): Promise<ContactRow | null> {
    const rows = await this.db.$queryRaw<ContactRow[]>`
      SELECT giving_tenant_id AS "givingTenantId", address_enc AS "addressEnc",
             contact_phone_masked AS "contactPhoneMasked", address_lat AS "addressLat", address_lng AS "addressLng",
             order_status AS "orderStatus"
        FROM platform.pool_order_contact(${offerId}::uuid, ${this.tenantId}::uuid, ${technicianId}::uuid,
                                         ${actor.type}, ${actor.id})`;
    return rows[0] ?? null;
  }

  held(technicianId: string): Promise<HeldRow[]> {
    return this.db.$queryRaw<HeldRow[]>`
      SELECT offer_id AS "offerId", service_name AS "serviceName", duration_minutes AS "durationMinutes",
             start_at AS "startAt", taker_share_fen AS "takerShareFen", order_status AS "orderStatus"
        FROM platform.pool_offers_held(${this.tenantId}::uuid, ${technicianId}::uuid)`;
  }
}
