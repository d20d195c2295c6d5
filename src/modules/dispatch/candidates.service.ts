import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import type { Order } from '../../generated/prisma/client';
import { TenantDirectory } from '../../platform/tenancy/tenant-directory';
import { TenantContext } from '../../platform/database/tenant-context';
import { BookingSettingsRepository } from '../scheduling/booking-settings.repository';
import { expandShifts, ZoneCalendar } from '../scheduling/shift-expander';
import { CandidatesRepository } from './candidates.repository';
import { judge, type Verdict } from './eligibility';
import { rank, type Ranked, type RankingWeights } from './ranking';

const H = 3_600_000;

export interface Evaluation {
  /** eligible technicians, best first, with their score breakdown */
  ranked: Array<Ranked & { distanceM: number }>;
  excluded: Verdict[];
}

/** Loads the facts and applies the pure rules: who may take this order at this radius, and in what order. */
@Injectable()
export class CandidatesService {
  constructor(
    private readonly repo: CandidatesRepository,
    private readonly booking: BookingSettingsRepository,
    private readonly tenants: TenantDirectory,
    private readonly tenantContext: TenantContext,
  ) {}

  order(orderId: string): Promise<Order | null> {
    return this.repo.order(orderId);
  }

  async evaluate(order: Order, radiusM: number, weights: RankingWeights, now = Date.now()): Promise<Evaluation> {
    const zone = (await this.tenants.findById(this.tenantContext.tenantId()))?.timezone ?? 'Asia/Shanghai';
    const rules = await this.booking.find();
    const startMs = order.startAt.getTime();
    const endMs = order.endAt.getTime();
    // travel and buffer never exceed a few hours: shifts and busy time in this window decide
    const range = { start: startMs - 6 * H, end: endMs + 6 * H };
    const [rows, requiredSkills, blocked] = await Promise.all([
      this.repo.technicians({
        orderId: order.id,
        fromDate: DateTime.fromMillis(range.start, { zone }).minus({ days: 1 }).toISODate()!,
        toDate: DateTime.fromMillis(range.end, { zone }).toISODate()!,
        busyFrom: new Date(range.start),
        busyTo: new Date(range.end),
      }),
      this.repo.requiredSkills(order.serviceId),
      this.repo.blockedBy(order.customerId),
    ]);
    const calendar = new ZoneCalendar(zone);
    const need = {
      startMs,
      endMs,
      location: { lat: order.addressLat, lng: order.addressLng },
      requiredSkills,
      blocked,
    };
    const eligibility = {
      nowMs: now,
      radiusM,
      bufferMinutes: rules.bufferMinutes,
      eta: { roadFactor: rules.etaRoadFactor, speedKmh: rules.etaSpeedKmh, overheadMinutes: rules.etaOverheadMinutes },
    };
    const verdicts = rows.map((r) => ({
      row: r,
      verdict: judge(
        {
          id: r.id,
          status: r.status,
          disabled: r.disabled,
          online: r.online,
          skills: r.skills,
          position: r.lat !== null && r.lng !== null ? { lat: r.lat, lng: r.lng } : null,
          shifts: expandShifts({ zone, range, templates: r.templates, overrides: r.overrides, calendar }),
          busy: r.busy.map((b) => ({ start: Date.parse(b.start), end: Date.parse(b.end) })),
        },
        need,
        eligibility,
      ),
    }));
    const eligible = verdicts.filter((v) => v.verdict.eligible);
    const distance = new Map(eligible.map((v) => [v.row.id, v.verdict.distanceM ?? 0]));
    const ranked = rank(
      eligible.map(({ row, verdict }) => ({
        technicianId: row.id,
        etaMinutes: verdict.etaMinutes ?? 0,
        ratingAvg: row.rating,
        tierRank: row.tierRank,
        recentAssignments: row.recent,
      })),
      weights,
    ).map((r) => ({ ...r, distanceM: distance.get(r.technicianId) ?? 0 }));
    return { ranked, excluded: verdicts.filter((v) => !v.verdict.eligible).map((v) => v.verdict) };
  }
}
