import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  expandShifts,
  mergeIntervals,
  ZoneCalendar,
  subtract,
  type ShiftOverrideRule,
  type ShiftTemplateRule,
} from './shift-expander';

const HOUR = 3_600_000;
const iso = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true });
const at = (local: string, zone: string) => DateTime.fromISO(local, { zone }).toMillis();

function sut(
  zone: string,
  from: string,
  to: string,
  templates: ShiftTemplateRule[],
  overrides: ShiftOverrideRule[] = [],
) {
  return expandShifts({ zone, range: { start: at(from, zone), end: at(to, zone) }, templates, overrides }).map((i) => [
    iso(i.start, zone),
    iso(i.end, zone),
  ]);
}

const weekdays = (startTime: string, endTime: string): ShiftTemplateRule[] =>
  [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startTime, endTime }));

describe('expandShifts', () => {
  it('expands a weekly template in Asia/Shanghai (2026-11-30 is a Monday)', () => {
    expect(sut('Asia/Shanghai', '2026-11-30T00:00', '2026-12-07T00:00', weekdays('10:00', '18:00'))).toEqual([
      ['2026-11-30T10:00:00+08:00', '2026-11-30T18:00:00+08:00'],
      ['2026-12-01T10:00:00+08:00', '2026-12-01T18:00:00+08:00'],
      ['2026-12-02T10:00:00+08:00', '2026-12-02T18:00:00+08:00'],
      ['2026-12-03T10:00:00+08:00', '2026-12-03T18:00:00+08:00'],
      ['2026-12-04T10:00:00+08:00', '2026-12-04T18:00:00+08:00'],
    ]);
  });

  it('runs a night shift across midnight and keeps one that began before the range', () => {
    const night = [{ weekday: 7, startTime: '20:00', endTime: '02:00' }]; // Sunday night
    expect(sut('Asia/Shanghai', '2026-11-30T00:00', '2026-11-30T12:00', night)).toEqual([
      ['2026-11-29T20:00:00+08:00', '2026-11-30T02:00:00+08:00'],
    ]);
  });

  it('lets a work override replace the template, and off/leave remove or cut the day', () => {
    const overrides: ShiftOverrideRule[] = [
      { date: '2026-11-30', kind: 'work', startTime: '08:00', endTime: '12:00' },
      { date: '2026-11-30', kind: 'work', startTime: '14:00', endTime: '16:00' },
      { date: '2026-12-01', kind: 'off', startTime: null, endTime: null },
      { date: '2026-12-02', kind: 'leave', startTime: null, endTime: null },
      { date: '2026-12-03', kind: 'leave', startTime: '12:00', endTime: '13:30' },
    ];
    expect(sut('Asia/Shanghai', '2026-11-30T00:00', '2026-12-05T00:00', weekdays('10:00', '18:00'), overrides)).toEqual(
      [
        ['2026-11-30T08:00:00+08:00', '2026-11-30T12:00:00+08:00'],
        ['2026-11-30T14:00:00+08:00', '2026-11-30T16:00:00+08:00'],
        ['2026-12-03T10:00:00+08:00', '2026-12-03T12:00:00+08:00'],
        ['2026-12-03T13:30:00+08:00', '2026-12-03T18:00:00+08:00'],
        ['2026-12-04T10:00:00+08:00', '2026-12-04T18:00:00+08:00'],
      ],
    );
  });

  it('merges touching template spans into one block', () => {
    const split = [
      { weekday: 1, startTime: '09:00', endTime: '12:00' },
      { weekday: 1, startTime: '12:00', endTime: '15:00' },
    ];
    expect(sut('Asia/Shanghai', '2026-11-30T00:00', '2026-12-01T00:00', split)).toEqual([
      ['2026-11-30T09:00:00+08:00', '2026-11-30T15:00:00+08:00'],
    ]);
  });

  describe('in a DST zone (Europe/Berlin)', () => {
    const zone = 'Europe/Berlin';
    const daily = (s: string, e: string) =>
      [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, startTime: s, endTime: e }));

    it('keeps wall-clock hours on both sides of the spring change (2026-03-29)', () => {
      const out = expandShifts({
        zone,
        range: { start: at('2026-03-28T00:00', zone), end: at('2026-03-30T00:00', zone) },
        templates: daily('09:00', '17:00'),
        overrides: [],
      });
      expect(out.map((i) => [new Date(i.start).toISOString(), new Date(i.end).toISOString()])).toEqual([
        ['2026-03-28T08:00:00.000Z', '2026-03-28T16:00:00.000Z'], // CET, UTC+1
        ['2026-03-29T07:00:00.000Z', '2026-03-29T15:00:00.000Z'], // CEST, UTC+2
      ]);
    });

    it('makes a 22:00–05:00 night shift 6 real hours across spring-forward and 8 across fall-back', () => {
      const night = daily('22:00', '05:00');
      const spring = expandShifts({
        zone,
        range: { start: at('2026-03-28T12:00', zone), end: at('2026-03-29T12:00', zone) },
        templates: night,
        overrides: [],
      });
      expect(spring.map((i) => (i.end - i.start) / HOUR)).toEqual([6]);
      const fall = expandShifts({
        zone,
        range: { start: at('2026-10-24T12:00', zone), end: at('2026-10-25T12:00', zone) },
        templates: night,
        overrides: [],
      });
      expect(fall.map((i) => (i.end - i.start) / HOUR)).toEqual([8]);
      expect(iso(fall[0]!.start, zone)).toBe('2026-10-24T22:00:00+02:00');
      expect(iso(fall[0]!.end, zone)).toBe('2026-10-25T05:00:00+01:00');
    });

    it('moves a start inside the spring gap to the first valid instant', () => {
      const out = expandShifts({
        zone,
        range: { start: at('2026-03-29T00:00', zone), end: at('2026-03-30T00:00', zone) },
        templates: [{ weekday: 7, startTime: '02:30', endTime: '06:00' }],
        overrides: [],
      });
      expect(out).toHaveLength(1);
      expect(iso(out[0]!.start, zone)).toBe('2026-03-29T03:30:00+02:00');
      expect((out[0]!.end - out[0]!.start) / HOUR).toBe(2.5);
    });
  });

  it('gives the same shifts with a calendar shared across technicians, and only for its own zone', () => {
    const zone = 'Europe/Berlin';
    const range = { start: at('2026-03-27T00:00', zone), end: at('2026-04-03T00:00', zone) };
    const calendar = new ZoneCalendar(zone);
    const a = [{ weekday: 7, startTime: '22:00', endTime: '05:00' }, ...weekdays('09:00', '17:00')];
    const b = weekdays('10:00', '18:00');
    for (const templates of [a, b, a]) {
      expect(expandShifts({ zone, range, templates, overrides: [], calendar })).toEqual(
        expandShifts({ zone, range, templates, overrides: [] }),
      );
    }
    expect(() => expandShifts({ zone: 'UTC', range, templates: b, overrides: [], calendar })).toThrow(/zone/);
    expect(ZoneCalendar.for(zone)).toBe(ZoneCalendar.for(zone));
  });

  it('formats instants in local time like luxon does, across DST changes', () => {
    for (const zone of [
      'Asia/Shanghai',
      'Europe/Berlin',
      'America/New_York',
      'Australia/Lord_Howe',
      'Asia/Kathmandu',
    ]) {
      const calendar = new ZoneCalendar(zone);
      const start = Date.UTC(2026, 0, 1);
      for (let ms = start; ms < start + 366 * 86_400_000; ms += 97 * 60_000) {
        const expected = DateTime.fromMillis(ms, { zone });
        expect(calendar.local(ms)).toEqual({ date: expected.toISODate(), time: expected.toFormat('HH:mm') });
      }
    }
  });

  it('merges and subtracts intervals', () => {
    expect(
      mergeIntervals([
        { start: 5, end: 7 },
        { start: 1, end: 3 },
        { start: 3, end: 4 },
      ]),
    ).toEqual([
      { start: 1, end: 4 },
      { start: 5, end: 7 },
    ]);
    expect(
      subtract(
        [{ start: 0, end: 10 }],
        [
          { start: 2, end: 3 },
          { start: 5, end: 12 },
        ],
      ),
    ).toEqual([
      { start: 0, end: 2 },
      { start: 3, end: 5 },
    ]);
  });
});
