import { Injectable } from '@nestjs/common';
import { TenantContext } from '../../platform/database/tenant-context';
import type { ShiftOverrideRule, ShiftTemplateRule } from '../scheduling/shift-expander';

export interface ServiceOptions {
  requiredSkills: string[];
  durations: number[];
}

export interface CandidateTechnician {
  id: string;
  home: { lat: number; lng: number } | null;
  last: { lat: number; lng: number } | null;
  templates: ShiftTemplateRule[];
  overrides: ShiftOverrideRule[];
  busy: Array<{ start: number; end: number; lat: number | null; lng: number | null }>;
}

interface TechnicianRow {
  id: string;
  home_lat: number | null;
  home_lng: number | null;
  last_lat: number | null;
  last_lng: number | null;
  templates: Array<{ weekday: number; startTime: string; endTime: string }>;
  overrides: Array<{ date: string; kind: ShiftOverrideRule['kind']; startTime: string | null; endTime: string | null }>;
  busy: Array<{ start: string; end: string; lat: number | null; lng: number | null }>;
}

/**
 * Loads everything availability needs in two statements, however many technicians: the service
 * with its durations, then every eligible technician with templates, overrides and busy time
 * aggregated per row (index lookups inside one statement, not one round trip per technician).
 */
@Injectable()
export class AvailabilityRepository {
  constructor(private readonly tenantContext: TenantContext) {}

  async service(serviceId: string): Promise<ServiceOptions | null> {
    const rows = await this.tenantContext.db().$queryRaw<ServiceOptions[]>`
      SELECT s.required_skills AS "requiredSkills",
             coalesce(array(SELECT d.minutes FROM service_durations d
                             WHERE d.tenant_id = s.tenant_id AND d.service_id = s.id ORDER BY d.minutes), '{}') AS durations
        FROM services s
       WHERE s.id = ${serviceId}::uuid AND s.active`;
    return rows[0] ?? null;
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
    const rows = await this.tenantContext.db().$queryRaw<TechnicianRow[]>`
      SELECT t.id, t.home_lat, t.home_lng, t.last_lat, t.last_lng,
             coalesce((SELECT json_agg(json_build_object(
                         'weekday', st.weekday,
                         'startTime', to_char(st.start_time, 'HH24:MI'),
                         'endTime', to_char(st.end_time, 'HH24:MI')))
                         FROM shift_templates st
                        WHERE st.tenant_id = t.tenant_id AND st.technician_id = t.id), '[]') AS templates,
             coalesce((SELECT json_agg(json_build_object(
                         'date', to_char(so.local_date, 'YYYY-MM-DD'), 'kind', so.kind,
                         'startTime', to_char(so.start_time, 'HH24:MI'),
                         'endTime', to_char(so.end_time, 'HH24:MI')))
                         FROM shift_overrides so
                        WHERE so.tenant_id = t.tenant_id AND so.technician_id = t.id
                          AND so.local_date BETWEEN ${q.fromDate}::date AND ${q.toDate}::date), '[]') AS overrides,
             coalesce((SELECT json_agg(json_build_object(
                         'start', lower(b.during), 'end', upper(b.during),
                         'lat', b.location_lat, 'lng', b.location_lng))
                         FROM technician_busy b
                        WHERE b.tenant_id = t.tenant_id AND b.technician_id = t.id AND b.active
                          AND b.during && tstzrange(${q.busyFrom}::timestamptz, ${q.busyTo}::timestamptz, '[)')),
                      '[]') AS busy
        FROM technicians t
       WHERE t.status = 'approved' AND t.disabled_at IS NULL
         AND t.skills @> ${q.requiredSkills}::text[]
         AND (${q.technicianId}::uuid IS NULL OR t.id = ${q.technicianId}::uuid)
       ORDER BY t.id`;
    return rows.map((r) => ({
      id: r.id,
      home: r.home_lat !== null && r.home_lng !== null ? { lat: r.home_lat, lng: r.home_lng } : null,
      last: r.last_lat !== null && r.last_lng !== null ? { lat: r.last_lat, lng: r.last_lng } : null,
      templates: r.templates,
      overrides: r.overrides,
      busy: r.busy.map((b) => ({ start: Date.parse(b.start), end: Date.parse(b.end), lat: b.lat, lng: b.lng })),
    }));
  }
}
