/**
 * Wall-clock time of instants in a store's zone, for the per-request money path (quote, order,
 * notices). It gives the same answers as luxon — same offsets, same local fields, same handling of
 * DST gaps and overlaps — but without building DateTimes, and with each zone's offsets cached:
 * luxon asks Intl again for every DateTime it makes, and that was a few percent of a booking's CPU.
 *
 * Mirrors luxon 3.7 (IANAZone.offset, DateTime's fixOffset/tsToObj, startOf('day'), plus({ days }),
 * diff(…, 'days')) down to the order of float operations, so a zone whose historical offset is not
 * a whole number of minutes rounds the same way. zoned-time.spec.ts holds it against luxon.
 * Luxon stays where time is not hot (admin screens, reports).
 */

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

/** An instant as luxon holds it: epoch ms, the zone's offset then (minutes east of UTC), local fields. */
interface Zoned {
  ts: number;
  o: number;
  c: WallTime;
}

interface Zone {
  /** Minutes east of UTC at `ts`; NaN for an instant out of range. */
  offset(ts: number): number;
}

const MAX_ZONES = 256;
const MAX_OFFSETS_PER_ZONE = 4096;

/**
 * An IANA zone read through one Intl formatter. The offset depends on the whole second only (Intl
 * formats seconds; zones change offset on whole seconds), so it is cached per second: slot starts
 * and local midnights repeat across requests. The cache is dropped when full, never stale.
 */
class IanaZone implements Zone {
  private readonly offsets = new Map<number, number>();

  constructor(private readonly dtf: Intl.DateTimeFormat) {}

  offset(ts: number): number {
    // new Date(ts) truncates and bounds ts the same way for luxon
    if (!(Math.abs(ts) <= 8.64e15)) return NaN;
    const asTS = Math.floor(Math.trunc(ts) / 1000) * 1000;
    let o = this.offsets.get(asTS);
    if (o === undefined) {
      o = partsOffset(this.dtf, asTS);
      if (this.offsets.size >= MAX_OFFSETS_PER_ZONE) this.offsets.clear();
      this.offsets.set(asTS, o);
    }
    return o;
  }
}

class FixedZone implements Zone {
  constructor(private readonly minutes: number) {}
  offset(): number {
    return this.minutes;
  }
}

/** luxon's SystemZone: the process's own zone. */
const systemZone: Zone = { offset: (ts) => -new Date(ts).getTimezoneOffset() };

const zones = new Map<string, Zone | null>();

/** The zone for a name as luxon's normalizeZone reads it, or null when luxon would call it invalid. */
function zoneNamed(name: string): Zone | null {
  let zone = zones.get(name);
  if (zone === undefined) {
    zone = resolveZone(name);
    if (zones.size >= MAX_ZONES) zones.clear();
    zones.set(name, zone);
  }
  return zone;
}

function resolveZone(name: string): Zone | null {
  const lowered = name.toLowerCase();
  if (lowered === 'default' || lowered === 'local' || lowered === 'system') return systemZone;
  if (lowered === 'utc' || lowered === 'gmt') return new FixedZone(0);
  const fixed = /^utc(?:([+-]\d{1,2})(?::(\d{2}))?)?$/i.exec(lowered);
  if (fixed) return new FixedZone(signedOffset(fixed[1], fixed[2]));
  if (!name) return null;
  try {
    return new IanaZone(
      new Intl.DateTimeFormat('en-US', {
        hour12: false,
        timeZone: name,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        era: 'short',
      }),
    );
  } catch {
    return null; // RangeError: not a zone Intl knows
  }
}

function signedOffset(hourText: string | undefined, minuteText: string | undefined): number {
  let hours = parseInt(hourText ?? '', 10);
  if (Number.isNaN(hours)) hours = 0;
  const minutes = parseInt(minuteText ?? '', 10) || 0;
  return hours * 60 + (hours < 0 || Object.is(hours, -0) ? -minutes : minutes);
}

/** en-US with hour12: false, e.g. `11/25/2026 AD, 08:00:00`. */
const FORMATTED = /^(\d+)\/(\d+)\/(\d+) (AD|BC), (\d+):(\d+):(\d+)$/;

/**
 * luxon's partsOffset. format() and a parse cost a third of formatToParts(); should an ICU
 * update ever write another shape, the parts are read instead.
 */
function partsOffset(dtf: Intl.DateTimeFormat, asTS: number): number {
  let year = NaN;
  let month = NaN;
  let day = NaN;
  let hour = NaN;
  let minute = NaN;
  let second = NaN;
  let era = '';
  const m = FORMATTED.exec(dtf.format(asTS));
  if (m) {
    month = +m[1]!;
    day = +m[2]!;
    year = +m[3]!;
    era = m[4]!;
    hour = +m[5]!;
    minute = +m[6]!;
    second = +m[7]!;
  } else {
    for (const { type, value } of dtf.formatToParts(asTS)) {
      if (type === 'year') year = parseInt(value, 10);
      else if (type === 'month') month = parseInt(value, 10);
      else if (type === 'day') day = parseInt(value, 10);
      else if (type === 'hour') hour = parseInt(value, 10);
      else if (type === 'minute') minute = parseInt(value, 10);
      else if (type === 'second') second = parseInt(value, 10);
      else if (type === 'era') era = value;
    }
  }
  if (era === 'BC') year = -Math.abs(year) + 1;
  // hour12: false may say 24 for midnight (Chromium bug 1025564)
  const asUTC = objToLocalTS({ year, month, day, hour: hour === 24 ? 0 : hour, minute, second, millisecond: 0 });
  return (asUTC - asTS) / (60 * 1000);
}

function objToLocalTS(c: WallTime): number {
  let d = Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second, c.millisecond);
  // Date.UTC reads years 0…99 as 19xx
  if (c.year < 100 && c.year >= 0) {
    const date = new Date(d);
    date.setUTCFullYear(c.year, c.month - 1, c.day);
    d = +date;
  }
  return d;
}

function tsToObj(ts: number, offset: number): WallTime {
  const d = new Date(ts + offset * 60 * 1000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millisecond: d.getUTCMilliseconds(),
  };
}

function zoned(ts: number, zone: Zone): Zoned | null {
  if (Number.isNaN(ts)) return null;
  const o = zone.offset(ts);
  const c = tsToObj(ts, o);
  return Number.isNaN(c.year) ? null : { ts, o, c };
}

/**
 * The instant of local time `localTS` (local fields read as UTC), starting from the guess `o`.
 * In an overlap the guess picks the side; in a gap the time moves forward by the gap.
 */
function fixOffset(localTS: number, o: number, zone: Zone): number {
  let utcGuess = localTS - o * 60 * 1000;
  const o2 = zone.offset(utcGuess);
  if (o === o2) return utcGuess;
  utcGuess -= (o2 - o) * 60 * 1000;
  const o3 = zone.offset(utcGuess);
  if (o2 === o3) return utcGuess;
  return localTS - Math.min(o2, o3) * 60 * 1000;
}

/** luxon's startOf('day'). */
function startOfDay(z: Zoned, zone: Zone): Zoned | null {
  const localTS = objToLocalTS({ ...z.c, hour: 0, minute: 0, second: 0, millisecond: 0 });
  return zoned(fixOffset(localTS, z.o, zone), zone);
}

/** luxon's plus({ days }) for whole days: same wall time that many calendar days later. */
function plusDays(z: Zoned, days: number, zone: Zone): Zoned | null {
  const localTS = objToLocalTS({ ...z.c, day: z.c.day + days });
  return zoned(fixOffset(localTS, z.o, zone), zone);
}

function utcDayStart(c: WallTime): number {
  return objToLocalTS({ year: c.year, month: c.month, day: c.day, hour: 0, minute: 0, second: 0, millisecond: 0 });
}

/** luxon's later.diff(earlier, 'days').days for earlier ≤ later: calendar days plus a fraction of the next. */
function diffDays(earlier: Zoned, later: Zoned, zone: Zone): number {
  let days = Math.floor((utcDayStart(later.c) - utcDayStart(earlier.c)) / 86_400_000);
  let highWater = plusDays(earlier, days, zone);
  if (!highWater) return NaN;
  let cursor: Zoned | null = highWater;
  if (highWater.ts > later.ts) {
    days--;
    cursor = plusDays(earlier, days, zone);
    if (!cursor) return NaN;
    if (cursor.ts > later.ts) {
      highWater = cursor;
      days--;
      cursor = plusDays(earlier, days, zone);
      if (!cursor) return NaN;
    }
  } else if (highWater.ts < later.ts) {
    highWater = plusDays(cursor, 1, zone);
    if (!highWater) return NaN;
  }
  if (highWater !== cursor) days += (later.ts - cursor.ts) / (highWater.ts - cursor.ts);
  return days;
}

/** A Date's time, or a number as luxon's fromMillis takes it (NaN beyond the Date range). */
function epochMs(at: Date | number): number {
  if (typeof at !== 'number') return at.getTime();
  return Math.abs(at) <= 8.64e15 ? at : NaN;
}

/** Local fields of `at` in `zone` (luxon's DateTime.fromJSDate(at, { zone }).c), or null when luxon's would be invalid. */
export function wallTime(at: Date | number, zone: string): WallTime | null {
  const z = zoneNamed(zone);
  if (!z) return null;
  return zoned(epochMs(at), z)?.c ?? null;
}

/** `YYYY-MM-DD` (luxon's toISODate: ±YYYYYY outside 0…9999) of `at` in `zone`, or null when invalid. */
export function localIsoDate(at: Date | number, zone: string): string | null {
  const c = wallTime(at, zone);
  if (!c) return null;
  const long = c.year > 9999 || c.year < 0;
  return `${long && c.year >= 0 ? '+' : ''}${pad(c.year, long ? 6 : 4)}-${pad(c.month, 2)}-${pad(c.day, 2)}`;
}

/**
 * Days from the start of `from`'s local day to the start of `to`'s, counted as luxon's
 * `toDay.diff(fromDay, 'days').days` counts them: whole calendar days, plus a fraction when a DST
 * change at midnight made one of those starts 01:00. Negative when `to` is on an earlier day;
 * NaN for an unknown zone or an invalid date.
 */
export function localDaysBetween(from: Date | number, to: Date | number, zone: string): number {
  const z = zoneNamed(zone);
  if (!z) return NaN;
  const a = zoned(epochMs(from), z);
  const b = zoned(epochMs(to), z);
  const fromDay = a && startOfDay(a, z);
  const toDay = b && startOfDay(b, z);
  if (!fromDay || !toDay) return NaN;
  // luxon: this = toDay, other = fromDay; diffs earlier → later and negates when other is later
  return fromDay.ts > toDay.ts ? -diffDays(toDay, fromDay, z) : diffDays(fromDay, toDay, z);
}

const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{3}))?Z$/;

/**
 * Epoch ms of a UTC timestamp written the way toISOString writes it (milliseconds optional), or
 * NaN for any other text — which a caller hands to luxon's fromISO, whose grammar is far wider.
 */
export function instantOfIsoUtc(text: string): number {
  const m = ISO_UTC.exec(text);
  if (!m) return NaN;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (year < 100 || hour > 23 || minute > 59 || second > 59) return NaN; // luxon reads 24:00; Date.UTC reads 0…99 as 19xx
  const ts = Date.UTC(year, month - 1, day, hour, minute, second, m[7] ? Number(m[7]) : 0);
  const d = new Date(ts);
  // rejects 02-30 and month 13, which Date.UTC would roll over
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day ? ts : NaN;
}

/** luxon's padStart: a minus sign before the padding. */
function pad(n: number, width: number): string {
  return n < 0 ? `-${String(-n).padStart(width, '0')}` : String(n).padStart(width, '0');
}
