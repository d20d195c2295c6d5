import type { DispatchLogLineDto } from './dto/dispatch-log.dto';

/** What a technician may read about their own part in an order's dispatch. */
const OWN_KINDS = new Set<string>([
  'offered',
  'declined',
  'expired',
  'withdrawn',
  'assigned',
  'reassigned',
  'grab_won',
  'grab_lost',
  'appeal',
]);
/** Details that say nothing about anyone else. */
const SAFE_DETAILS = ['offerId', 'round', 'expiresAt', 'via'];
/** Lines that end the story for everyone else: the order went to someone. */
const OUTCOMES = new Set(['assigned', 'reassigned', 'grab_won', 'pool_taken']);

/**
 * A technician's view of an order's dispatch log: their own lines (without other people's data),
 * plus one "taken" line — when, never by whom — each time the order went to someone else after
 * they were involved. Null when they were never involved (the order does not exist for them).
 * Their own exclusion and score lines are not shown: that is the store's working.
 */
export function technicianView(
  lines: readonly DispatchLogLineDto[],
  technicianId: string,
): DispatchLogLineDto[] | null {
  const fromMe = (l: DispatchLogLineDto) =>
    (l.details as { fromTechnicianId?: unknown } | null)?.fromTechnicianId === technicianId;
  if (!lines.some((l) => l.technicianId === technicianId || fromMe(l))) return null;
  const out: DispatchLogLineDto[] = [];
  let involved = false;
  for (const l of lines) {
    if (l.technicianId === technicianId) {
      involved = true;
      if (OWN_KINDS.has(l.kind)) out.push({ ...l, details: pick(l.details), actorId: null });
    } else if (involved && OUTCOMES.has(l.kind)) {
      out.push({
        seq: l.seq,
        at: l.at,
        kind: 'taken',
        kindLabel: { zh: '已被其他技师接单', en: 'taken by another technician' },
        technicianId: null,
        score: null,
        reasonCode: null,
        reasonLabel: null,
        details: {},
        actorType: 'system',
        actorId: null,
      });
    }
  }
  return out;
}

function pick(details: unknown): Record<string, unknown> {
  const d = (details ?? {}) as Record<string, unknown>;
  return Object.fromEntries(SAFE_DETAILS.filter((k) => k in d).map((k) => [k, d[k]]));
}
