import { Injectable } from '@nestjs/common';
import type { Prisma, Quote } from '../../generated/prisma/client';
import { TenantContext } from '../../platform/database/tenant-context';
import { CurrentStore } from '../../platform/tenancy/current-store';
import type { ServiceAreaColumns } from '../store-profile/store-profile.view';
import type { BookingWindow } from './booking-window';

export interface TechnicianPosition {
  id: string;
  status: string;
  disabledAt: string | null;
  homeLat: number | null;
  homeLng: number | null;
  lastLat: number | null;
  lastLng: number | null;
}

/** Everything a quote is priced from, read in one statement (null = no such row here). */
export interface PricingInputs {
  address: { id: string; lat: number; lng: number } | null;
  profile: (ServiceAreaColumns & { lat: number | null; lng: number | null }) | null;
  window: BookingWindow | null;
  service: { id: string; nameZh: string; durations: Array<{ minutes: number; priceFen: number }> } | null;
  addons: Array<{
    id: string;
    serviceId: string | null;
    kind: string;
    nameZh: string;
    minutes: number | null;
    priceFen: number;
    maxQuantity: number;
  }>;
  technician: TechnicianPosition | null;
  rules: {
    freeRadiusM: number;
    pricePerKmFen: number;
    nightStartMinute: number | null;
    nightEndMinute: number | null;
    nightSurchargeFen: number;
    minimumOrderFen: number;
  } | null;
}

// One round trip instead of seven: each part is a scalar sub-select on the tenant's own rows
// (RLS applies; tenant_id is also named so the primary keys are used).
const PRICING_INPUTS = `
SELECT
  (SELECT json_build_object('id', a.id, 'lat', a.lat, 'lng', a.lng) FROM customer_addresses a
    WHERE a.tenant_id = $1 AND a.id = $2 AND a.customer_id = $3 AND a.deleted_at IS NULL) AS address,
  (SELECT json_build_object('lat', p.lat, 'lng', p.lng, 'areaCenterLat', p.area_center_lat,
                            'areaCenterLng', p.area_center_lng, 'areaRadiusM', p.area_radius_m,
                            'areaPolygon', p.area_polygon)
     FROM store_profiles p WHERE p.tenant_id = $1) AS profile,
  (SELECT json_build_object('leadTimeMinutes', b.lead_time_minutes, 'maxDaysAhead', b.max_days_ahead)
     FROM booking_settings b WHERE b.tenant_id = $1) AS "window",
  (SELECT json_build_object('id', s.id, 'nameZh', s.name_zh, 'durations', coalesce(
            (SELECT json_agg(json_build_object('minutes', d.minutes, 'priceFen', d.price_fen) ORDER BY d.minutes)
               FROM service_durations d WHERE d.tenant_id = $1 AND d.service_id = s.id), '[]'::json))
     FROM services s WHERE s.tenant_id = $1 AND s.id = $4 AND s.active) AS service,
  coalesce((SELECT json_agg(json_build_object('id', x.id, 'serviceId', x.service_id, 'kind', x.kind,
                                              'nameZh', x.name_zh, 'minutes', x.minutes, 'priceFen', x.price_fen,
                                              'maxQuantity', x.max_quantity))
              FROM service_addons x WHERE x.tenant_id = $1 AND x.id = ANY($5::uuid[]) AND x.active), '[]'::json)
    AS addons,
  (SELECT json_build_object('id', t.id, 'status', t.status, 'disabledAt', t.disabled_at, 'homeLat', t.home_lat,
                            'homeLng', t.home_lng, 'lastLat', t.last_lat, 'lastLng', t.last_lng)
     FROM technicians t WHERE t.tenant_id = $1 AND t.id = $6) AS technician,
  (SELECT json_build_object('freeRadiusM', r.free_radius_m, 'pricePerKmFen', r.price_per_km_fen,
                            'nightStartMinute', r.night_start_minute, 'nightEndMinute', r.night_end_minute,
                            'nightSurchargeFen', r.night_surcharge_fen, 'minimumOrderFen', r.minimum_order_fen)
     FROM travel_fee_rules r WHERE r.tenant_id = $1) AS rules`;

const QUOTE_COLUMNS = `tenant_id AS "tenantId", id, customer_id AS "customerId", service_id AS "serviceId",
  service_name AS "serviceName", duration_minutes AS "durationMinutes", total_minutes AS "totalMinutes", addons,
  address_id AS "addressId", technician_id AS "technicianId", start_at AS "startAt", end_at AS "endAt",
  distance_m AS "distanceM", distance_origin AS "distanceOrigin", lines, subtotal_fen AS "subtotalFen",
  adjustments_fen AS "adjustmentsFen", total_fen AS "totalFen", expires_at AS "expiresAt", created_at AS "createdAt"`;

export type NewQuote = Omit<Prisma.QuoteUncheckedCreateInput, 'tenantId' | 'id' | 'createdAt'> & {
  technicianId: string | null;
  startAt: Date;
  endAt: Date;
  expiresAt: Date;
};

/**
 * Reads what a quote is priced from (catalog, travel rules, store, booking rules) and stores
 * quotes. Runs on either kind of unit of work (TenantContext.query); the quote route uses the
 * plain-pg one.
 */
@Injectable()
export class QuotesRepository {
  constructor(
    private readonly tenantContext: TenantContext,
    private readonly currentStore: CurrentStore,
  ) {}

  private get tenantId(): string {
    return this.tenantContext.tenantId();
  }

  async pricingInputs(q: {
    customerId: string;
    addressId: string;
    serviceId: string;
    addonIds: readonly string[];
    technicianId: string | null;
  }): Promise<PricingInputs> {
    const rows = await this.tenantContext.query<PricingInputs>(PRICING_INPUTS, [
      this.tenantId,
      q.addressId,
      q.customerId,
      q.serviceId,
      [...q.addonIds],
      q.technicianId,
    ]);
    return rows[0]!;
  }

  async timezone(): Promise<string> {
    return (await this.currentStore.info()).timezone;
  }

  async create(d: NewQuote): Promise<Quote> {
    const rows = await this.tenantContext.query<Quote>(
      `INSERT INTO quotes (tenant_id, customer_id, service_id, service_name, duration_minutes, total_minutes, addons,
                           address_id, technician_id, start_at, end_at, distance_m, distance_origin, lines,
                           subtotal_fen, adjustments_fen, total_fen, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $11, $12, $13, $14::jsonb, $15, $16, $17, $18)
       RETURNING ${QUOTE_COLUMNS}`,
      [
        this.tenantId,
        d.customerId,
        d.serviceId,
        d.serviceName,
        d.durationMinutes,
        d.totalMinutes,
        JSON.stringify(d.addons ?? []),
        d.addressId,
        d.technicianId,
        d.startAt,
        d.endAt,
        d.distanceM,
        d.distanceOrigin,
        JSON.stringify(d.lines),
        d.subtotalFen,
        d.adjustmentsFen,
        d.totalFen,
        d.expiresAt,
      ],
    );
    return rows[0]!;
  }

  /** The customer's quote, for booking (locks nothing: an order per quote is unique). */
  async findForCustomer(customerId: string, id: string): Promise<Quote | null> {
    const rows = await this.tenantContext.query<Quote>(
      `SELECT ${QUOTE_COLUMNS} FROM quotes WHERE tenant_id = $1 AND id = $2 AND customer_id = $3`,
      [this.tenantId, id, customerId],
    );
    return rows[0] ?? null;
  }
}
