import { Injectable } from '@nestjs/common';
import type { StoreProfile } from '../../generated/prisma/client';
import { TenantContext } from '../../platform/database/tenant-context';
import type { ServiceAreaColumns } from '../store-profile/store-profile.view';
import { DEFAULT_BOOKING_SETTINGS } from '../scheduling/booking-settings.repository';
import type { BookingSettingsView } from '../scheduling/dto/booking-settings.dto';
import type { OverrideKind, ShiftOverrideRule, ShiftTemplateRule } from '../scheduling/shift-expander';
import type { LatLng } from './travel-eta';

export interface ServiceOptions {
  requiredSkills: string[];
  durations: number[];
}

/** Everything a request is validated against, read in one statement. */
export interface AvailabilityContext {
  /** null when the store has no such active service. */
  service: ServiceOptions | null;
  rules: BookingSettingsView;
  /** The store's service-area columns (null: no profile saved). */
  area: ServiceAreaColumns | null;
  /** The store's own location, the origin of last resort. */
  storePoint: LatLng | null;
}

export interface CandidateTechnician {
  id: string;
  home: LatLng | null;
  last: LatLng | null;
  templates: ShiftTemplateRule[];
  overrides: ShiftOverrideRule[];
  busy: Array<{ start: number; end: number; location: LatLng | null }>;
}

interface ContextRow extends BookingSettingsView {
  has_settings: boolean;
  has_profile: boolean;
  required_skills: string[] | null;
  durations: number[] | null;
  lat: number | null;
  lng: number | null;
  area_center_lat: number | null;
  area_center_lng: number | null;
  area_radius_m: number | null;
  area_polygon: StoreProfile['areaPolygon'];
}

interface TechnicianRow {
  id: string;
  home_lat: number | null;
  home_lng: number | null;
  last_lat: number | null;
  last_lng: number | null;
  /** [weekday, 'HH:mm', 'HH:mm'] */
  templates: Array<[number, string, string]>;
  /** ['YYYY-MM-DD', kind, 'HH:mm' | null, 'HH:mm' | null] */
  overrides: Array<[string, OverrideKind, string | null, string | null]>;
  /** [start ms, end ms, lat, lng] */
  busy: Array<[number, number, number | null, number | null]>;
}

// Both statements are named, so each pooled connection parses and plans them once. RLS still
// applies per execution: the policy's tenant sub-select is evaluated when the plan runs.
const CONTEXT_SQL = `
  SELECT bs.tenant_id IS NOT NULL AS has_settings,
         bs.slot_grid_minutes AS "slotGridMinutes", bs.lead_time_minutes AS "leadTimeMinutes",
         bs.max_days_ahead AS "maxDaysAhead", bs.buffer_minutes AS "bufferMinutes",
         bs.eta_road_factor AS "etaRoadFactor", bs.eta_speed_kmh AS "etaSpeedKmh",
         bs.eta_overhead_minutes AS "etaOverheadMinutes",
         s.required_skills,
         CASE WHEN s.id IS NOT NULL THEN
           array(SELECT d.minutes FROM service_durations d
                  WHERE d.tenant_id = s.tenant_id AND d.service_id = s.id ORDER BY d.minutes)
         END AS durations,
         sp.tenant_id IS NOT NULL AS has_profile,
         sp.lat, sp.lng, sp.area_center_lat, sp.area_center_lng, sp.area_radius_m, sp.area_polygon
    FROM (SELECT $1::uuid AS tenant_id) AS me
    LEFT JOIN services s ON s.tenant_id = me.tenant_id AND s.id = $2::uuid AND s.active
    LEFT JOIN booking_settings bs ON bs.tenant_id = me.tenant_id
    LEFT JOIN store_profiles sp ON sp.tenant_id = me.tenant_id`;

const TECHNICIANS_SQL = `
  SELECT t.id, t.home_lat, t.home_lng, t.last_lat, t.last_lng,
         coalesce((SELECT json_agg(json_build_array(
                     st.weekday, to_char(st.start_time, 'HH24:MI'), to_char(st.end_time, 'HH24:MI')))
                     FROM shift_templates st
                    WHERE st.tenant_id = t.tenant_id AND st.technician_id = t.id), '[]') AS templates,
         coalesce((SELECT json_agg(json_build_array(
                     to_char(so.local_date, 'YYYY-MM-DD'), so.kind,
                     to_char(so.start_time, 'HH24:MI'), to_char(so.end_time, 'HH24:MI')))
                     FROM shift_overrides so
                    WHERE so.tenant_id = t.tenant_id AND so.technician_id = t.id
                      AND so.local_date BETWEEN $4::date AND $5::date), '[]') AS overrides,
         coalesce((SELECT json_agg(json_build_array(
                     floor(extract(epoch FROM lower(b.during)) * 1000)::int8,
                     floor(extract(epoch FROM upper(b.during)) * 1000)::int8,
                     b.location_lat, b.location_lng) ORDER BY lower(b.during))
                     FROM technician_busy b
                    WHERE b.tenant_id = t.tenant_id AND b.technician_id = t.id AND b.active
                      AND b.during && tstzrange($6::timestamptz, $7::timestamptz, '[)')), '[]') AS busy
    FROM technicians t
   WHERE t.tenant_id = $1::uuid AND t.status = 'approved' AND t.disabled_at IS NULL
     AND t.skills @> $2::text[]
     AND ($3::uuid IS NULL OR t.id = $3::uuid)
   ORDER BY t.id`;

const point = (lat: number | null, lng: number | null): LatLng | null =>
  lat !== null && lng !== null ? { lat, lng } : null;

/**
 * Loads everything availability needs in two statements on the request's plain-pg unit of work
 * (the route is @SqlUnitOfWork), however many technicians: the service, booking rules and store
 * profile in one row, then every eligible technician with templates, overrides and busy time
 * aggregated per row as compact JSON arrays (index lookups inside one statement, times as epoch
 * milliseconds so nothing is parsed twice).
 */
@Injectable()
export class AvailabilityRepository {
  constructor(private readonly tenantContext: TenantContext) {}

  async context(serviceId: string): Promise<AvailabilityContext> {
    const { rows } = await this.tenantContext.sql().query<ContextRow>({
      name: 'availability.context',
      text: CONTEXT_SQL,
      values: [this.tenantContext.tenantId(), serviceId],
    });
    const r = rows[0]!;
    return {
      service:
        r.required_skills !== null && r.durations !== null
          ? { requiredSkills: r.required_skills, durations: r.durations }
          : null,
      rules: r.has_settings
        ? {
            slotGridMinutes: r.slotGridMinutes,
            leadTimeMinutes: r.leadTimeMinutes,
            maxDaysAhead: r.maxDaysAhead,
            bufferMinutes: r.bufferMinutes,
            etaRoadFactor: r.etaRoadFactor,
            etaSpeedKmh: r.etaSpeedKmh,
            etaOverheadMinutes: r.etaOverheadMinutes,
          }
        : { ...DEFAULT_BOOKING_SETTINGS },
      area: r.has_profile
        ? {
            areaCenterLat: r.area_center_lat,
            areaCenterLng: r.area_center_lng,
            areaRadiusM: r.area_radius_m,
            areaPolygon: r.area_polygon,
          }
        : null,
      storePoint: point(r.lat, r.lng),
    };
  }

  /**
   * Approved, not disabled technicians having every required skill (optionally just one), with
   * shift data for local dates [fromDate, toDate] and active busy time overlapping [busyFrom, busyTo).
   */
  async technicians(q: {
    requiredSkills: string[];
    technicianId: string | null;
    fromDate: string;
    toDate: string;
    busyFrom: Date;
    busyTo: Date;
  }): Promise<CandidateTechnician[]> {
    const { rows } = await this.tenantContext.sql().query<TechnicianRow>({
      name: 'availability.technicians',
      text: TECHNICIANS_SQL,
      values: [
        this.tenantContext.tenantId(),
        q.requiredSkills,
        q.technicianId,
        q.fromDate,
        q.toDate,
        q.busyFrom,
        q.busyTo,
      ],
    });
    return rows.map((r) => ({
      id: r.id,
      home: point(r.home_lat, r.home_lng),
      last: point(r.last_lat, r.last_lng),
      templates: r.templates.map(([weekday, startTime, endTime]) => ({ weekday, startTime, endTime })),
      overrides: r.overrides.map(([date, kind, startTime, endTime]) => ({ date, kind, startTime, endTime })),
      busy: r.busy.map(([start, end, lat, lng]) => ({ start, end, location: point(lat, lng) })),
    }));
  }
}
