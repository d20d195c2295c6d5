import { DateTime } from 'luxon';
import { mergeIntervals, type Interval } from '../scheduling/shift-expander';
import { etaMinutes, MINUTE_MS, type EtaParams, type LatLng } from './travel-eta';

/** The store's booking rules that shape availability (booking_settings). */
export interface BookingRules {
  gridMinutes: number;
  leadTimeMinutes: number;
  /** Start times may fall on today's local date up to today + this many days, inclusive. */
  maxDaysAhead: number;
  /** Minimum gap between two jobs of one technician, on both sides of a slot. */
  bufferMinutes: number;
  eta: EtaParams;
}

/** Time a technician is already taken (a booking, a hold or a block) and where they will be. */
export interface BusyInterval extends Interval {
  location: LatLng | null;
}

export interface TechnicianDay {
  id: string;
  /** Working time as absolute intervals (from shift-expander). */
  shifts: readonly Interval[];
  /** Active busy time; the database guarantees these do not overlap each other. */
  busy: readonly BusyInterval[];
  /** Where the technician starts a shift block from: home base, else last known position. */
  origin: LatLng | null;
}

export interface AvailabilityQuery {
  zone: string;
  now: number;
  /** Candidate start times lie in [from, to). */
  from: number;
  to: number;
  durationMinutes: number;
  customer: LatLng;
  rules: BookingRules;
  technicians: readonly TechnicianDay[];
}

export interface Slot {
  start: number;
  technicianIds: string[];
}

/**
 * Bookable start times. A grid start s is offered for technician T iff:
 * 1. [s, s + duration] lies inside one continuous block of T's working time;
 * 2. s ≥ now + lead time, and s's local date is at most `maxDaysAhead` days after today's;
 * 3. [s − buffer, s + duration + buffer) overlaps none of T's busy intervals;
 * 4. T can get there: if a busy interval of T ended within the current working block (end ≥ block
 *    start, end ≤ s), T leaves from its location (or from `origin` when it has none) at
 *    end + buffer and must arrive by s; otherwise T leaves `origin` at the block start — we do not
 *    assume anyone travels on their own time before a shift (and between blocks they are back at
 *    base). A technician with no known origin cannot be placed and is not offered.
 * 5. T can get from the customer to the next busy interval after the slot (when it has a
 *    location): s + duration + buffer + ETA ≤ next.start.
 * The grid is every `gridMinutes` from local midnight of each store day.
 */
export function computeAvailability(q: AvailabilityQuery): Slot[] {
  const candidates = gridStarts(q);
  const byStart = new Map<number, string[]>();
  for (const tech of q.technicians) {
    const ctx = prepare(tech);
    for (const s of candidates) {
      if (isOffered(s, q, ctx)) {
        const ids = byStart.get(s);
        if (ids) ids.push(tech.id);
        else byStart.set(s, [tech.id]);
      }
    }
  }
  return [...byStart.entries()].sort(([a], [b]) => a - b).map(([start, technicianIds]) => ({ start, technicianIds }));
}

/** Grid starts within [from, to) that also pass the technician-independent rules (2). */
export function gridStarts(q: Pick<AvailabilityQuery, 'zone' | 'now' | 'from' | 'to' | 'rules'>): number[] {
  const { zone, rules } = q;
  const grid = rules.gridMinutes * MINUTE_MS;
  const earliest = Math.max(q.from, q.now + rules.leadTimeMinutes * MINUTE_MS);
  const lastDay = DateTime.fromMillis(q.now, { zone })
    .startOf('day')
    .plus({ days: rules.maxDaysAhead + 1 });
  const latest = Math.min(q.to, lastDay.toMillis());
  const out: number[] = [];
  let day = DateTime.fromMillis(earliest, { zone }).startOf('day');
  while (day.toMillis() < latest) {
    const dayStart = day.toMillis();
    const next = day.plus({ days: 1 });
    const dayEnd = Math.min(next.toMillis(), latest);
    const first = dayStart + Math.max(0, Math.ceil((earliest - dayStart) / grid)) * grid;
    for (let s = first; s < dayEnd; s += grid) out.push(s);
    day = next;
  }
  return out;
}

interface Prepared {
  blocks: Interval[];
  busy: BusyInterval[];
  origin: LatLng | null;
}

function prepare(tech: TechnicianDay): Prepared {
  return {
    blocks: mergeIntervals(tech.shifts),
    busy: [...tech.busy].sort((a, b) => a.start - b.start || a.end - b.end),
    origin: tech.origin,
  };
}

function isOffered(s: number, q: AvailabilityQuery, t: Prepared): boolean {
  const { rules } = q;
  const end = s + q.durationMinutes * MINUTE_MS;
  const buffer = rules.bufferMinutes * MINUTE_MS;

  const block = t.blocks[lastIndexAtOrBefore(t.blocks, s, (b) => b.start)];
  if (!block || end > block.end) return false;

  // Non-overlapping busy intervals sorted by start are sorted by end too.
  const i = firstIndexAfter(t.busy, s - buffer, (b) => b.end);
  const next = t.busy[i];
  if (next && next.start < end + buffer) return false;

  const prev = t.busy[i - 1];
  const travel = (from: LatLng | null, to: LatLng) => (from ? etaMinutes(from, to, rules.eta) * MINUTE_MS : null);
  if (prev && prev.end >= block.start) {
    const eta = travel(prev.location ?? t.origin, q.customer);
    if (eta === null || prev.end + buffer + eta > s) return false;
  } else {
    const eta = travel(t.origin, q.customer);
    if (eta === null || block.start + eta > s) return false;
  }

  if (next?.location) {
    const eta = etaMinutes(q.customer, next.location, rules.eta) * MINUTE_MS;
    if (end + buffer + eta > next.start) return false;
  }
  return true;
}

/** Index of the last item whose key ≤ value, or -1. Items sorted by key. */
function lastIndexAtOrBefore<T>(items: readonly T[], value: number, key: (t: T) => number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(items[mid] as T) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Index of the first item whose key > value, or items.length. Items sorted by key. */
function firstIndexAfter<T>(items: readonly T[], value: number, key: (t: T) => number): number {
  return lastIndexAtOrBefore(items, value, key) + 1;
}
