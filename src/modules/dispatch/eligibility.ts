import { etaMinutes, haversineKm, MINUTE_MS, type EtaParams, type LatLng } from '../availability/travel-eta';
import type { Interval } from '../scheduling/shift-expander';

/** Why a technician was not considered for an order, in the order they are checked. */
export const EXCLUSION_REASONS = [
  'not_approved',
  'offline',
  'blocked',
  'skills',
  'too_far',
  'off_shift',
  'busy',
  'eta_late',
] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

/** What the order asks for. Times are epoch ms; the range is [startMs, endMs). */
export interface OrderNeed {
  startMs: number;
  endMs: number;
  location: LatLng;
  requiredSkills: readonly string[];
  /** technicians this customer blocked */
  blocked: ReadonlySet<string>;
}

/** What dispatch knows about one technician right now. */
export interface TechnicianFacts {
  id: string;
  status: string;
  disabled: boolean;
  online: boolean;
  skills: readonly string[];
  /** last known position, else home base; null = unknown (cannot be placed) */
  position: LatLng | null;
  /** working time (expanded shifts) around the order */
  shifts: readonly Interval[];
  /** active busy time around the order (other orders, holds, blocks) */
  busy: readonly Interval[];
}

export interface EligibilityRules {
  nowMs: number;
  /** the current radius step, metres from the technician's position to the address */
  radiusM: number;
  bufferMinutes: number;
  eta: EtaParams;
}

export interface Verdict {
  technicianId: string;
  eligible: boolean;
  /** every rule the technician fails (empty when eligible); the first is the headline */
  reasons: ExclusionReason[];
  distanceM: number | null;
  etaMinutes: number | null;
}

/**
 * Eligible iff approved and not disabled, online, not blocked by the customer, has every required
 * skill, within the radius, on a shift covering travel + the service, free (no busy time within
 * travel + buffer before the start and buffer after the end), and able to arrive by the start.
 * Pure: the same facts always give the same verdict.
 */
export function judge(t: TechnicianFacts, order: OrderNeed, rules: EligibilityRules): Verdict {
  const reasons: ExclusionReason[] = [];
  if (t.status !== 'approved' || t.disabled) reasons.push('not_approved');
  if (!t.online) reasons.push('offline');
  if (order.blocked.has(t.id)) reasons.push('blocked');
  if (!order.requiredSkills.every((s) => t.skills.includes(s))) reasons.push('skills');

  const distanceM = t.position ? Math.round(haversineKm(t.position, order.location) * 1000) : null;
  const eta = t.position ? etaMinutes(t.position, order.location, rules.eta) : null;
  if (distanceM === null || distanceM > rules.radiusM) reasons.push('too_far');

  const travelMs = (eta ?? 0) * MINUTE_MS;
  const needFrom = order.startMs - travelMs;
  if (!t.shifts.some((s) => s.start <= needFrom && s.end >= order.endMs)) reasons.push('off_shift');

  const buffer = rules.bufferMinutes * MINUTE_MS;
  const freeFrom = needFrom - buffer;
  const freeTo = order.endMs + buffer;
  if (t.busy.some((b) => b.start < freeTo && b.end > freeFrom)) reasons.push('busy');

  if (eta !== null && rules.nowMs + travelMs > order.startMs) reasons.push('eta_late');

  return { technicianId: t.id, eligible: reasons.length === 0, reasons, distanceM, etaMinutes: eta };
}
