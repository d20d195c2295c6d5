import { DateTime } from 'luxon';

/** A span of absolute time, epoch milliseconds, half-open [start, end). */
export interface Interval {
  start: number;
  end: number;
}

/** A weekly working pattern. weekday is ISO (1 = Monday … 7 = Sunday); times are 'HH:mm' local. */
export interface ShiftTemplateRule {
  weekday: number;
  startTime: string;
  endTime: string;
}

export type OverrideKind = 'work' | 'off' | 'leave';

/**
 * A change for one local date. `work` replaces that day's templates with its own times (several
 * `work` rows make a split shift); `off`, or `leave` without times, means no shift starts that day;
 * `leave` with times cuts that span out of whatever the day would have had.
 */
export interface ShiftOverrideRule {
  date: string;
  kind: OverrideKind;
  startTime: string | null;
  endTime: string | null;
}

export interface ExpandShiftsInput {
  zone: string;
  /** Absolute range of interest; shifts intersecting it are returned whole (not clipped). */
  range: Interval;
  templates: readonly ShiftTemplateRule[];
  overrides: readonly ShiftOverrideRule[];
  /** Share one calendar across the technicians of a request: most of them have the same hours. */
  calendar?: ZoneCalendar;
}

const OFFSET_BUCKET_MS = 6 * 3_600_000;
const MAX_CACHED = 20_000;

interface LocalDay {
  date: string;
  weekday: number;
  nextDate: string;
}

/**
 * Memoised local-time arithmetic for one zone. Resolving a wall-clock time in a zone is the
 * expensive part of expansion (Intl under luxon); 50 technicians × 9 days repeat the same few
 * (date, time) pairs, so a request resolves each pair once.
 */
export class ZoneCalendar {
  private readonly instants = new Map<string, number | null>();
  private readonly dayLists = new Map<string, LocalDay[]>();
  private readonly offsets = new Map<number, number | null>();

  private static readonly shared = new Map<string, ZoneCalendar>();

  /**
   * One calendar per zone for the whole process: a zone's rules do not change while it runs, so
   * what was resolved for one request holds for the next. Bounded so it cannot grow forever.
   */
  static for(zone: string): ZoneCalendar {
    let calendar = ZoneCalendar.shared.get(zone);
    if (!calendar || calendar.size() > MAX_CACHED) {
      calendar = new ZoneCalendar(zone);
      ZoneCalendar.shared.set(zone, calendar);
    }
    return calendar;
  }

  constructor(readonly zone: string) {}

  private size(): number {
    return this.instants.size + this.dayLists.size + this.offsets.size;
  }

  /** Local dates from the day before `range.start` to the day of `range.end`, inclusive. */
  days(range: Interval): LocalDay[] {
    const key = `${range.start}:${range.end}`;
    const hit = this.dayLists.get(key);
    if (hit) return hit;
    const out: LocalDay[] = [];
    // A night shift that began the day before the range may still run into it.
    let day = DateTime.fromMillis(range.start, { zone: this.zone }).startOf('day').minus({ days: 1 });
    const lastDay = DateTime.fromMillis(range.end, { zone: this.zone }).startOf('day');
    while (day <= lastDay) {
      const next = day.plus({ days: 1 });
      out.push({ date: day.toISODate()!, weekday: day.weekday, nextDate: next.toISODate()! });
      day = next;
    }
    this.dayLists.set(key, out);
    return out;
  }

  /**
   * Local date and 'HH:mm' of an instant. The zone offset is looked up once per 6 hours of
   * absolute time: when both ends of the 6-hour bucket have the same offset, so does every instant
   * in it (no zone changes its offset twice within 6 hours); only a bucket holding a change asks
   * luxon per instant. Formatting hundreds of slots thus costs a few luxon calls.
   */
  local(ms: number): { date: string; time: string } {
    const bucket = Math.floor(ms / OFFSET_BUCKET_MS);
    let offsetMinutes = this.offsets.get(bucket);
    if (offsetMinutes === undefined) {
      const first = DateTime.fromMillis(bucket * OFFSET_BUCKET_MS, { zone: this.zone }).offset;
      const last = DateTime.fromMillis((bucket + 1) * OFFSET_BUCKET_MS - 1, { zone: this.zone }).offset;
      offsetMinutes = first === last ? first : null;
      this.offsets.set(bucket, offsetMinutes);
    }
    if (offsetMinutes === null) offsetMinutes = DateTime.fromMillis(ms, { zone: this.zone }).offset;
    const iso = new Date(ms + offsetMinutes * 60_000).toISOString();
    return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
  }

  /** The instant of local `date` + `time` ('HH:mm'); null when invalid. */
  instant(date: string, time: string): number | null {
    const key = `${date}T${time}`;
    let v = this.instants.get(key);
    if (v === undefined) {
      const dt = DateTime.fromISO(key, { zone: this.zone });
      v = dt.isValid ? dt.toMillis() : null;
      this.instants.set(key, v);
    }
    return v;
  }
}

/**
 * Turns weekly templates plus per-date overrides into concrete UTC intervals, in the store's zone.
 * An end time at or before the start time means the shift ends the next day (a night shift).
 * Local times are resolved by luxon for that very date, so a shift keeps its wall-clock hours
 * across DST changes; a start that falls into a spring-forward gap moves to the first valid
 * instant after it. Overlapping or touching shifts are merged into one interval, because the
 * availability rules treat a technician's continuous working time as one block.
 */
export function expandShifts(input: ExpandShiftsInput): Interval[] {
  const { range } = input;
  const calendar = input.calendar ?? new ZoneCalendar(input.zone);
  if (calendar.zone !== input.zone) throw new Error('calendar of another zone');
  const overridesByDate = groupBy(input.overrides, (o) => o.date);
  const templatesByWeekday = groupBy(input.templates, (t) => String(t.weekday));

  const worked: Interval[] = [];
  const cut: Interval[] = [];
  for (const day of calendar.days(range)) {
    const overrides = overridesByDate.get(day.date) ?? [];
    const dayOff = overrides.some((o) => o.kind === 'off' || (o.kind === 'leave' && o.startTime === null));
    const work = overrides.filter((o) => o.kind === 'work');
    if (!dayOff) {
      const spans = work.length > 0 ? work : (templatesByWeekday.get(String(day.weekday)) ?? []);
      for (const s of spans) pushSpan(worked, calendar, day, s.startTime, s.endTime);
    }
    for (const o of overrides) {
      if (o.kind === 'leave' && o.startTime !== null) pushSpan(cut, calendar, day, o.startTime, o.endTime);
    }
  }
  return subtract(mergeIntervals(worked), mergeIntervals(cut)).filter(
    (i) => i.end > range.start && i.start < range.end,
  );
}

function pushSpan(
  out: Interval[],
  calendar: ZoneCalendar,
  day: LocalDay,
  start: string | null,
  end: string | null,
): void {
  if (start === null || end === null) return;
  const from = calendar.instant(day.date, start);
  const to = calendar.instant(end <= start ? day.nextDate : day.date, end);
  if (from === null || to === null) {
    throw new Error(`invalid shift time ${day.date} ${start}-${end} in ${calendar.zone}`);
  }
  // A span wholly inside a DST gap collapses; nothing to work.
  if (to > from) out.push({ start: from, end: to });
}

/** Sorts and merges overlapping or touching intervals. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else out.push({ ...i });
  }
  return out;
}

/** `from` minus `holes`; both sorted and merged. */
export function subtract(from: readonly Interval[], holes: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const i of from) {
    let pieces: Interval[] = [{ ...i }];
    for (const h of holes) {
      if (h.end <= i.start || h.start >= i.end) continue;
      pieces = pieces.flatMap((p) => {
        if (h.end <= p.start || h.start >= p.end) return [p];
        const rest: Interval[] = [];
        if (h.start > p.start) rest.push({ start: p.start, end: h.start });
        if (h.end < p.end) rest.push({ start: h.end, end: p.end });
        return rest;
      });
    }
    out.push(...pieces);
  }
  return out;
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}
