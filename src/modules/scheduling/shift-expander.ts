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
  const { zone, range } = input;
  // A night shift that began the day before the range may still run into it.
  let day = DateTime.fromMillis(range.start, { zone }).startOf('day').minus({ days: 1 });
  const lastDay = DateTime.fromMillis(range.end, { zone }).startOf('day');
  const overridesByDate = groupBy(input.overrides, (o) => o.date);
  const templatesByWeekday = groupBy(input.templates, (t) => String(t.weekday));

  const worked: Interval[] = [];
  const cut: Interval[] = [];
  while (day <= lastDay) {
    const date = day.toISODate() as string;
    const overrides = overridesByDate.get(date) ?? [];
    const dayOff = overrides.some((o) => o.kind === 'off' || (o.kind === 'leave' && o.startTime === null));
    const work = overrides.filter((o) => o.kind === 'work');
    if (!dayOff) {
      const spans = work.length > 0 ? work : (templatesByWeekday.get(String(day.weekday)) ?? []);
      for (const s of spans) pushSpan(worked, date, s.startTime, s.endTime, zone);
    }
    for (const o of overrides) {
      if (o.kind === 'leave' && o.startTime !== null) pushSpan(cut, date, o.startTime, o.endTime, zone);
    }
    day = day.plus({ days: 1 });
  }
  return subtract(mergeIntervals(worked), mergeIntervals(cut)).filter(
    (i) => i.end > range.start && i.start < range.end,
  );
}

function pushSpan(out: Interval[], date: string, start: string | null, end: string | null, zone: string): void {
  if (start === null || end === null) return;
  const from = DateTime.fromISO(`${date}T${start}`, { zone });
  let to = DateTime.fromISO(`${date}T${end}`, { zone });
  if (end <= start) to = DateTime.fromISO(`${from.plus({ days: 1 }).toISODate()}T${end}`, { zone });
  if (!from.isValid || !to.isValid) throw new Error(`invalid shift time ${date} ${start}-${end} in ${zone}`);
  const interval = { start: from.toMillis(), end: to.toMillis() };
  // A span wholly inside a DST gap collapses; nothing to work.
  if (interval.end > interval.start) out.push(interval);
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
