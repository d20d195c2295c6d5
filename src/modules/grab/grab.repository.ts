import { Injectable } from '@nestjs/common';
import { TenantContext } from '../../platform/database/tenant-context';

export interface ListingRow {
  orderId: string;
  status: string;
  serviceName: string;
  durationMinutes: number;
  startAt: Date;
  endAt: Date;
  lat: number;
  lng: number;
  areaLat: number;
  areaLng: number;
  priceFen: number;
  offeredTo: string[];
  technicianId: string | null;
}

export interface NearRow {
  orderId: string;
  serviceName: string;
  durationMinutes: number;
  startAt: Date;
  areaLat: number;
  areaLng: number;
  priceFen: number;
  distanceM: number;
}

export interface EligibleTechnician {
  id: string;
  distanceM: number;
  commissionBps: number | null;
}

export interface NewListing {
  orderId: string;
  serviceName: string;
  durationMinutes: number;
  startAt: Date;
  endAt: Date;
  lat: number;
  lng: number;
  areaLat: number;
  areaLng: number;
  priceFen: number;
  earningFen: number;
}

const COLUMNS = `order_id AS "orderId", status, service_name AS "serviceName", duration_minutes AS "durationMinutes",
  start_at AS "startAt", end_at AS "endAt", lat, lng, area_lat AS "areaLat", area_lng AS "areaLng",
  price_fen AS "priceFen", offered_to::text[] AS "offeredTo", technician_id AS "technicianId"`;

/** grab_listings through raw SQL (earthdistance has no Prisma type). Always inside a tenant context. */
@Injectable()
export class GrabRepository {
  constructor(private readonly tenantContext: TenantContext) {}

  private get db() {
    return this.tenantContext.db();
  }

  /** Opens (or re-opens a closed) listing; returns it, or null when it is already taken. */
  async open(l: NewListing): Promise<ListingRow | null> {
    const rows = await this.db.$queryRawUnsafe<ListingRow[]>(
      `INSERT INTO grab_listings AS g (tenant_id, order_id, service_name, duration_minutes, start_at, end_at, lat, lng,
                                       area_lat, area_lng, price_fen, earning_fen)
       VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (tenant_id, order_id) DO UPDATE SET status = 'open', opened_at = now(), closed_at = NULL
        WHERE g.status = 'closed'
       RETURNING ${COLUMNS}`,
      this.tenantContext.tenantId(),
      l.orderId,
      l.serviceName,
      l.durationMinutes,
      l.startAt,
      l.endAt,
      l.lat,
      l.lng,
      l.areaLat,
      l.areaLng,
      l.priceFen,
      l.earningFen,
    );
    return rows[0] ?? this.find(l.orderId).then((r) => (r && r.status === 'open' ? r : null));
  }

  /**
   * A claim's first look, as one statement (TenantContext.peekSql, one round trip): is the
   * claimant on duty, and is the listing still open? Most claims in a storm lose, and this answers
   * them without a unit of work; the claim itself checks both again under its locks.
   */
  static readonly CLAIM_PRECHECK = `SELECT EXISTS (SELECT 1 FROM technicians WHERE id = $2::uuid AND status = 'approved' AND online) AS on_duty,
              (SELECT status FROM grab_listings WHERE order_id = $1::uuid) AS listing`;

  static claimPrecheckOf(row: Record<string, unknown> | undefined): { onDuty: boolean; listing: string | null } {
    return { onDuty: row?.['on_duty'] === true, listing: (row?.['listing'] as string | null | undefined) ?? null };
  }

  async find(orderId: string): Promise<ListingRow | null> {
    const rows = await this.db.$queryRawUnsafe<ListingRow[]>(
      `SELECT ${COLUMNS} FROM grab_listings WHERE order_id = $1::uuid`,
      orderId,
    );
    return rows[0] ?? null;
  }

  async setOfferedTo(orderId: string, technicianIds: string[]): Promise<void> {
    await this.db.$executeRaw`
      UPDATE grab_listings SET offered_to = ${technicianIds}::uuid[] WHERE order_id = ${orderId}::uuid`;
  }

  /**
   * The claim itself, in one statement: locks the listing unless another claim is mid-way on it
   * (SKIP LOCKED), checks that the claimant is approved, online and not disabled, and takes it.
   * Only one UPDATE can see status = 'open'. Null when anything failed: whyNotTaken tells what.
   */
  async take(orderId: string, technicianId: string): Promise<ListingRow | null> {
    const rows = await this.db.$queryRawUnsafe<ListingRow[]>(
      `UPDATE grab_listings SET status = 'taken', technician_id = $2::uuid, taken_at = now()
        WHERE order_id = $1::uuid AND status = 'open' AND start_at > now()
          AND order_id IN (SELECT order_id FROM grab_listings WHERE order_id = $1::uuid FOR UPDATE SKIP LOCKED)
          AND EXISTS (SELECT 1 FROM technicians
                       WHERE id = $2::uuid AND status = 'approved' AND online AND disabled_at IS NULL)
       RETURNING ${COLUMNS}`,
      orderId,
      technicianId,
    );
    return rows[0] ?? null;
  }

  /** Why take() matched nothing (unlocked reads): a listing still open and ahead is locked by another claim. */
  async whyNotTaken(
    orderId: string,
    technicianId: string,
  ): Promise<{ onDuty: boolean; disabled: boolean; status: string | null; ahead: boolean }> {
    const rows = await this.db.$queryRaw<
      Array<{ onDuty: boolean; disabled: boolean; status: string | null; ahead: boolean | null }>
    >`
      SELECT EXISTS (SELECT 1 FROM technicians WHERE id = ${technicianId}::uuid AND status = 'approved' AND online)
               AS "onDuty",
             EXISTS (SELECT 1 FROM technicians WHERE id = ${technicianId}::uuid AND disabled_at IS NOT NULL)
               AS disabled,
             g.status, g.start_at > now() AS ahead
        FROM (SELECT 1) one LEFT JOIN grab_listings g ON g.order_id = ${orderId}::uuid`;
    const r = rows[0]!;
    return { onDuty: r.onDuty, disabled: r.disabled, status: r.status, ahead: r.ahead === true };
  }

  async close(orderId: string): Promise<boolean> {
    const n = await this.db.$executeRaw`
      UPDATE grab_listings SET status = 'closed', closed_at = now() WHERE order_id = ${orderId}::uuid AND status = 'open'`;
    return n > 0;
  }

  /**
   * Closes an open listing unless a claim is mid-way on it (SKIP LOCKED): called while the order
   * row is locked by another path, where waiting for the claim could deadlock with it; that claim
   * then fails on the order's status and rolls back.
   */
  async closeIfFree(orderId: string): Promise<ListingRow | null> {
    const rows = await this.db.$queryRawUnsafe<ListingRow[]>(
      `UPDATE grab_listings SET status = 'closed', closed_at = now()
        WHERE order_id = $1::uuid AND status = 'open'
          AND order_id IN (SELECT order_id FROM grab_listings WHERE order_id = $1::uuid FOR UPDATE SKIP LOCKED)
       RETURNING ${COLUMNS}`,
      orderId,
    );
    return rows[0] ?? null;
  }

  /** The order, unlocked (opening a listing must not hold the order row: claims lock listing → order). */
  order(orderId: string) {
    return this.db.order.findUnique({
      where: { tenantId_id: { tenantId: this.tenantContext.tenantId(), id: orderId } },
    });
  }

  /**
   * Open listings within `radiusM` of a point, nearest first, through platform.grab_listings_near
   * (the geo index cannot serve a query under RLS; the function filters to this store itself).
   */
  near(lat: number, lng: number, radiusM: number, limit = 50): Promise<NearRow[]> {
    return this.db.$queryRaw<NearRow[]>`
      SELECT order_id AS "orderId", service_name AS "serviceName", duration_minutes AS "durationMinutes",
             start_at AS "startAt", area_lat AS "areaLat", area_lng AS "areaLng", price_fen AS "priceFen",
             distance_m AS "distanceM"
        FROM platform.grab_listings_near(${lat}::float8, ${lng}::float8, ${radiusM}::float8, ${limit}::int)`;
  }

  /**
   * Who is pushed an order. With `only` (dispatch's ranked audience): those technicians, still
   * approved. Without (staff opened it by hand): approved, online, located (last fix, else home
   * base) within the radius and free for the order's time.
   */
  eligibleTechnicians(
    l: { lat: number; lng: number; startAt: Date; endAt: Date },
    radiusM: number,
    only: string[] | null = null,
  ) {
    const point = `ll_to_earth(coalesce(t.last_lat, t.home_lat, $1::float8), coalesce(t.last_lng, t.home_lng, $2::float8))`;
    const filter = only
      ? `t.id = ANY($3::uuid[])`
      : `t.online AND coalesce(t.last_lat, t.home_lat) IS NOT NULL
         AND earth_distance(ll_to_earth($1::float8, $2::float8), ${point}) <= $3::float8
         AND NOT EXISTS (SELECT 1 FROM technician_busy b
                          WHERE b.technician_id = t.id AND b.active
                            AND b.during && tstzrange($4::timestamptz, $5::timestamptz, '[)'))`;
    const params = only ? [l.lat, l.lng, only] : [l.lat, l.lng, radiusM, l.startAt, l.endAt];
    return this.db.$queryRawUnsafe<EligibleTechnician[]>(
      `SELECT t.id, earth_distance(ll_to_earth($1::float8, $2::float8), ${point}) AS "distanceM",
              tt.commission_bps AS "commissionBps"
         FROM technicians t
         LEFT JOIN technician_tiers tt ON tt.tenant_id = t.tenant_id AND tt.id = t.tier_id
        WHERE t.status = 'approved' AND ${filter}`,
      ...params,
    );
  }

  /** The claimer: approved and on duty, with their tier rate for the earning estimate. */
  async technician(id: string): Promise<{ id: string; commissionBps: number | null } | null> {
    const rows = await this.db.$queryRawUnsafe<{ id: string; commissionBps: number | null }[]>(
      `SELECT t.id, tt.commission_bps AS "commissionBps"
         FROM technicians t LEFT JOIN technician_tiers tt ON tt.tenant_id = t.tenant_id AND tt.id = t.tier_id
        WHERE t.id = $1::uuid AND t.status = 'approved' AND t.online`,
      id,
    );
    return rows[0] ?? null;
  }
}
