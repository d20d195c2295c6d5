import { Injectable } from '@nestjs/common';
import type { Order } from '../../generated/prisma/client';
import { TenantContext } from '../../platform/database/tenant-context';
import type { ShiftOverrideRule, ShiftTemplateRule } from '../scheduling/shift-expander';

export interface TechnicianRow {
  id: string;
  status: string;
  disabled: boolean;
  online: boolean;
  skills: string[];
  lat: number | null;
  lng: number | null;
  rating: number | null;
  tierRank: number;
  recent: number;
  templates: ShiftTemplateRule[];
  overrides: ShiftOverrideRule[];
  busy: Array<{ start: string; end: string }>;
}

/**
 * Loads what dispatch decides on, in one statement however many technicians: every technician
 * past sign-up (so exclusions such as `not_approved` can be explained), with shifts, busy time
 * around the order (not the order's own), tier rank, and assignments in the last 24 h.
 */
@Injectable()
export class CandidatesRepository {
  constructor(private readonly tenantContext: TenantContext) {}

  order(orderId: string): Promise<Order | null> {
    const tenantId = this.tenantContext.tenantId();
    return this.tenantContext.db().order.findUnique({ where: { tenantId_id: { tenantId, id: orderId } } });
  }

  async requiredSkills(serviceId: string): Promise<string[]> {
    const tenantId = this.tenantContext.tenantId();
    const s = await this.tenantContext.db().service.findUnique({
      where: { tenantId_id: { tenantId, id: serviceId } },
      select: { requiredSkills: true },
    });
    return s?.requiredSkills ?? [];
  }

  async blockedBy(customerId: string): Promise<Set<string>> {
    const rows = await this.tenantContext.db().customerTechnicianBlock.findMany({
      where: { tenantId: this.tenantContext.tenantId(), customerId },
      select: { technicianId: true },
    });
    return new Set(rows.map((r) => r.technicianId));
  }

  technicians(q: { orderId: string; fromDate: string; toDate: string; busyFrom: Date; busyTo: Date }) {
    return this.tenantContext.db().$queryRaw<TechnicianRow[]>`
      SELECT t.id, t.status, t.disabled_at IS NOT NULL AS disabled, t.online, t.skills,
             coalesce(t.last_lat, t.home_lat) AS lat, coalesce(t.last_lng, t.home_lng) AS lng,
             t.rating_avg::float8 AS rating,
             CASE WHEN t.tier_id IS NULL THEN 0::float8 ELSE coalesce(
               (SELECT (count(*) FILTER (WHERE o.sort < tt.sort))::float8 / nullif(count(*) - 1, 0)
                  FROM technician_tiers o, technician_tiers tt
                 WHERE o.tenant_id = t.tenant_id AND tt.tenant_id = t.tenant_id AND tt.id = t.tier_id), 1) END AS "tierRank",
             (SELECT count(*)::int FROM dispatch_log l
               WHERE l.tenant_id = t.tenant_id AND l.technician_id = t.id AND l.kind IN ('assigned', 'reassigned')
                 AND l.at > now() - interval '24 hours') AS recent,
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
             coalesce((SELECT json_agg(json_build_object('start', lower(b.during), 'end', upper(b.during)))
                         FROM technician_busy b
                        WHERE b.tenant_id = t.tenant_id AND b.technician_id = t.id AND b.active
                          AND b.reference_id IS DISTINCT FROM ${q.orderId}::uuid
                          AND b.during && tstzrange(${q.busyFrom}::timestamptz, ${q.busyTo}::timestamptz, '[)')),
                      '[]') AS busy
        FROM technicians t
       WHERE t.status <> 'applicant'
       ORDER BY t.id`;
  }
}
