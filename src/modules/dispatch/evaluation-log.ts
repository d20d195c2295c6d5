import type { Evaluation } from './candidates.service';
import type { LogEntry } from './dispatch.repository';

/**
 * The log lines of one evaluation: one `excluded` line per ineligible technician (headline reason
 * plus every reason) and one `scored` line per eligible one (the score breakdown and its inputs).
 * Technicians in `skip` (already offered this order) are left out: they had their turn.
 */
export function evaluationEntries(
  orderId: string,
  ev: Evaluation,
  skip: ReadonlySet<string>,
  radiusM: number,
  stepIndex: number,
): LogEntry[] {
  const entries: LogEntry[] = [];
  for (const v of ev.excluded) {
    if (skip.has(v.technicianId)) continue;
    entries.push({
      orderId,
      kind: 'excluded',
      technicianId: v.technicianId,
      reasonCode: v.reasons[0] ?? null,
      details: { reasons: v.reasons, distanceM: v.distanceM, etaMinutes: v.etaMinutes, radiusM, stepIndex },
      actorType: 'system',
    });
  }
  for (const r of ev.ranked) {
    if (skip.has(r.technicianId)) continue;
    entries.push({
      orderId,
      kind: 'scored',
      technicianId: r.technicianId,
      score: { ...r.score },
      details: {
        etaMinutes: r.etaMinutes,
        distanceM: r.distanceM,
        ratingAvg: r.ratingAvg,
        tierRank: r.tierRank,
        recentAssignments: r.recentAssignments,
        radiusM,
        stepIndex,
      },
      actorType: 'system',
    });
  }
  return entries;
}
