import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { instantOfIsoUtc, localDaysBetween, localIsoDate, wallTime } from './zoned-time';

// The brief's zones, zones whose DST changes at midnight (a day that starts at 01:00), one that
// skipped a whole day, two with historical offsets that are not whole minutes, and the
// specifiers luxon reads itself (fixed offsets, the system zone) or rejects.
const IANA = [
  'Asia/Shanghai',
  'America/New_York',
  'Europe/London',
  'Australia/Lord_Howe',
  'Asia/Kathmandu',
  'America/Santiago',
  'America/Havana',
  'Africa/Cairo',
  'Pacific/Apia',
  'Europe/Amsterdam',
  'Africa/Monrovia',
];
const ZONES = [...IANA, 'UTC', 'utc', 'Etc/GMT-14', 'utc+8', 'UTC-03:30', 'local', 'Mars/Olympus', ''];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Instants where the zone's offset changes, 1890…2040, found with luxon (to the millisecond). */
function transitions(zone: string): number[] {
  const offset = (ts: number) => DateTime.fromMillis(ts, { zone }).offset;
  const out: number[] = [];
  const step = 3 * DAY;
  for (let t = Date.UTC(1890, 0, 1); t < Date.UTC(2040, 0, 1); t += step) {
    if (offset(t) === offset(t + step)) continue;
    let lo = t;
    let hi = t + step;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (offset(mid) === offset(t)) lo = mid;
      else hi = mid;
    }
    out.push(hi);
  }
  return out;
}
const TRANSITIONS = new Map(IANA.map((z) => [z, transitions(z)]));

const anyInstant = fc.integer({ min: Date.UTC(1880, 0, 1), max: Date.UTC(2100, 0, 1) });
/** An instant within a few hours of one of the zone's offset changes (or anywhere, without any). */
const nearTransition = (zone: string) => {
  const ts = TRANSITIONS.get(zone) ?? [];
  if (ts.length === 0) return anyInstant;
  return fc
    .tuple(
      fc.constantFrom(...ts),
      fc.oneof(fc.integer({ min: -3 * HOUR, max: 3 * HOUR }), fc.integer({ min: -2000, max: 2000 })),
    )
    .map(([t, d]) => t + d);
};
const zoneAndInstant = fc
  .constantFrom(...ZONES)
  .chain((zone) => fc.tuple(fc.constant(zone), fc.oneof(anyInstant, nearTransition(zone))));

const luxonAt = (ts: number, zone: string) => DateTime.fromJSDate(new Date(ts), { zone });

describe('zoned time, held against luxon', () => {
  it('finds offset changes to test around', () => {
    expect(TRANSITIONS.get('America/New_York')!.length).toBeGreaterThan(200);
    expect(TRANSITIONS.get('Australia/Lord_Howe')!.length).toBeGreaterThan(50);
    expect(TRANSITIONS.get('Asia/Kathmandu')!.length).toBe(2);
  });

  it('reads the same local fields, or refuses the same zones', () => {
    fc.assert(
      fc.property(zoneAndInstant, ([zone, ts]) => {
        const dt = luxonAt(ts, zone);
        expect(wallTime(new Date(ts), zone)).toEqual(dt.isValid ? dt.toObject() : null);
        expect(wallTime(ts, zone)).toEqual(dt.isValid ? dt.toObject() : null);
      }),
      { numRuns: 20_000 },
    );
  });

  it('agrees at the ends of the Date range and around year 0', () => {
    const extremes = [
      -8.64e15,
      8.64e15,
      -8.64e15 - 1,
      Date.UTC(0, 0, 1) - 62_167_219_200_000,
      -62_198_755_200_000,
      Date.UTC(-10, 5, 7),
      Date.UTC(12345, 5, 7),
      253_402_300_799_999,
      0,
      -1,
    ];
    for (const zone of ZONES) {
      for (const ts of extremes) {
        const dt = luxonAt(ts, zone);
        expect(wallTime(ts, zone), `${zone} ${ts}`).toEqual(dt.isValid ? dt.toObject() : null);
        expect(localIsoDate(ts, zone), `${zone} ${ts}`).toBe(dt.isValid ? dt.toISODate() : null);
      }
    }
  });

  it('writes the same local ISO date', () => {
    fc.assert(
      fc.property(zoneAndInstant, ([zone, ts]) => {
        const dt = luxonAt(ts, zone);
        expect(localIsoDate(new Date(ts), zone)).toBe(dt.isValid ? dt.toISODate() : null);
      }),
      { numRuns: 5_000 },
    );
    expect(localIsoDate(new Date('+012345-06-07T00:00:00Z'), 'UTC')).toBe(
      luxonAt(Date.UTC(12345, 5, 7), 'UTC').toISODate(),
    );
    expect(localIsoDate(new Date('-000010-06-07T00:00:00Z'), 'UTC')).toBe(
      luxonAt(Date.UTC(-10, 5, 7), 'UTC').toISODate(),
    );
    expect(localIsoDate(new Date(NaN), 'Asia/Shanghai')).toBeNull();
  });

  it('counts days between local days as luxon diff does, across DST changes at midnight too', () => {
    const pair = zoneAndInstant.chain(([zone, to]) =>
      fc.tuple(
        fc.constant(zone),
        fc
          .oneof(fc.integer({ min: -3 * DAY, max: 120 * DAY }), fc.integer({ min: 0, max: 2 * DAY }))
          .map((d) => to - d),
        fc.constant(to),
      ),
    );
    fc.assert(
      fc.property(pair, ([zone, from, to]) => {
        const expected = luxonAt(to, zone).startOf('day').diff(luxonAt(from, zone).startOf('day'), 'days').days;
        expect(localDaysBetween(new Date(from), new Date(to), zone)).toBe(expected);
      }),
      { numRuns: 20_000 },
    );
  });

  it('counts a day that starts at 01:00 as luxon does', () => {
    // Cairo, 2024-04-26: 00:00 → 01:00, so that day starts at 01:00 local
    const zone = 'Africa/Cairo';
    for (const [from, to] of [
      ['2024-04-24T12:00:00Z', '2024-04-26T12:00:00Z'],
      ['2024-04-26T12:00:00Z', '2024-04-28T12:00:00Z'],
      ['2024-04-25T12:00:00Z', '2024-04-26T00:30:00Z'],
    ] as const) {
      const f = new Date(from);
      const t = new Date(to);
      const expected = DateTime.fromJSDate(t, { zone })
        .startOf('day')
        .diff(DateTime.fromJSDate(f, { zone }).startOf('day'), 'days').days;
      expect(localDaysBetween(f, t, zone)).toBe(expected);
    }
  });

  it('parses exactly the UTC timestamps toISOString writes', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('0100-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }),
        (d) => {
          expect(instantOfIsoUtc(d.toISOString())).toBe(d.getTime());
          expect(instantOfIsoUtc(d.toISOString().replace(/\.\d{3}Z$/, 'Z'))).toBe(d.getTime() - d.getUTCMilliseconds());
        },
      ),
    );
    for (const text of [
      '2026-02-30T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-11-26T24:00:00Z',
      '2026-11-26T10:00:00+08:00',
      '2026-11-26T10:00:00',
      '2026-11-26',
      '0099-11-26T10:00:00Z',
      '2026-11-26T10:00:00.1Z',
      '',
    ]) {
      expect(instantOfIsoUtc(text)).toBeNaN();
    }
  });
});
