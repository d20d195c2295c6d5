import { addDays } from '../scheduling/local-time';
import { mergeIntervals, ZoneCalendar, type Interval } from '../scheduling/shift-expander';
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
 *
 * Rules 1, 3, 4 and 5 make the starts of one technician a union of closed windows, one per
 * (working block, gap between busy intervals): each window is computed once, with one ETA per
 * job, and the grid starts inside it are found by binary search — instead of testing every grid
 * start against every technician.
 */
export function computeAvailability(q: AvailabilityQuery): Slot[] {
  const starts = gridStarts(q);
  const free: Array<string[] | undefined> = new Array<string[] | undefined>(starts.length);
  for (const tech of q.technicians) {
    for (const w of startWindows(tech, q)) {
      for (let i = firstIndexAtOrAfter(starts, w.start); i < starts.length && starts[i]! <= w.end; i++) {
        const ids = free[i];
        if (ids) ids.push(tech.id);
        else free[i] = [tech.id];
      }
    }
  }
  const out: Slot[] = [];
  for (let i = 0; i < starts.length; i++) {
    const technicianIds = free[i];
    if (technicianIds) out.push({ start: starts[i]!, technicianIds });
  }
  return out;
}

/** Grid starts within [from, to) that also pass the technician-independent rules (2). */
export function gridStarts(q: Pick<AvailabilityQuery, 'zone' | 'now' | 'from' | 'to' | 'rules'>): number[] {
  const { rules } = q;
  // Local midnights come from the process-wide calendar of the zone: resolved once, not per call.
  const calendar = ZoneCalendar.for(q.zone);
  const midnight = (date: string) => calendar.instant(date, '00:00')!;
  const grid = rules.gridMinutes * MINUTE_MS;
  const earliest = Math.max(q.from, q.now + rules.leadTimeMinutes * MINUTE_MS);
  const latest = Math.min(q.to, midnight(addDays(calendar.local(q.now).date, rules.maxDaysAhead + 1)));
  const out: number[] = [];
  let date = calendar.local(earliest).date;
  for (let dayStart = midnight(date); dayStart < latest;) {
    date = addDays(date, 1);
    const next = midnight(date);
    const dayEnd = Math.min(next, latest);
    const first = dayStart + Math.max(0, Math.ceil((earliest - dayStart) / grid)) * grid;
    for (let s = first; s < dayEnd; s += grid) out.push(s);
    dayStart = next;
  }
  return out;
}

/**
 * The starts rules 1, 3, 4 and 5 allow for one technician, as closed windows [start, end] in
 * increasing order. Within one block, a start s in the gap between busy intervals k − 1 and k
 * (prev.end + buffer ≤ s and s + duration + buffer ≤ next.start) has exactly those two as its
 * previous and next job, so every bound of the window is fixed by the pair.
 */
function startWindows(tech: TechnicianDay, q: AvailabilityQuery): Interval[] {
  const { rules, customer } = q;
  const duration = q.durationMinutes * MINUTE_MS;
  const buffer = rules.bufferMinutes * MINUTE_MS;
  const eta = (from: LatLng, to: LatLng) => etaMinutes(from, to, rules.eta) * MINUTE_MS;
  // Non-overlapping busy intervals sorted by start are sorted by end too. Both lists usually
  // arrive sorted (and the shifts merged): then they are used as they are, without copies.
  const busy = isSorted(tech.busy) ? tech.busy : [...tech.busy].sort((a, b) => a.start - b.start || a.end - b.end);
  const blocks = isMerged(tech.shifts) ? tech.shifts : mergeIntervals(tech.shifts);
  const fromOrigin = tech.origin ? eta(tech.origin, customer) : null;
  const out: Interval[] = [];
  for (const block of blocks) {
    const lastStart = block.end - duration;
    // The first gap that can hold a slot in this block: its next job starts late enough.
    for (let k = firstStartAtOrAfter(busy, block.start + duration + buffer); k <= busy.length; k++) {
      const prev = busy[k - 1];
      const next = busy[k];
      let lo = block.start;
      if (prev) {
        if (prev.end + buffer > lastStart) break; // this gap and all later ones start too late
        lo = Math.max(lo, prev.end + buffer);
      }
      if (prev && prev.end >= block.start) {
        const from = prev.location ?? tech.origin;
        if (!from) continue;
        lo = Math.max(lo, prev.end + buffer + eta(from, customer));
      } else {
        if (fromOrigin === null) continue;
        lo = Math.max(lo, block.start + fromOrigin);
      }
      let hi = lastStart;
      if (next) {
        hi = Math.min(hi, next.start - duration - buffer);
        if (next.location) hi = Math.min(hi, next.start - duration - buffer - eta(customer, next.location));
      }
      if (lo <= hi) out.push({ start: lo, end: hi });
    }
  }
  return out;
}

function isSorted(busy: readonly BusyInterval[]): boolean {
  for (let i = 1; i < busy.length; i++) if (busy[i]!.start < busy[i - 1]!.start) return false;
  return true;
}

/** Sorted, and each interval starts after the previous one ends: what mergeIntervals returns. */
function isMerged(intervals: readonly Interval[]): boolean {
  for (let i = 1; i < intervals.length; i++) if (intervals[i]!.start <= intervals[i - 1]!.end) return false;
  return true;
}

/** Index of the first busy interval starting at or after `value`, or busy.length. */
function firstStartAtOrAfter(busy: readonly BusyInterval[], value: number): number {
  let lo = 0;
  let hi = busy.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (busy[mid]!.start < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first start ≥ value, or starts.length. Starts sorted ascending. */
function firstIndexAtOrAfter(starts: readonly number[], value: number): number {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
