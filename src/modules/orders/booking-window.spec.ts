import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { startProblem as sut } from './booking-window';

const now = new Date('2026-11-25T02:00:00Z'); // 10:00 in Shanghai
const w = { leadTimeMinutes: 60, maxDaysAhead: 7 };
const at = (iso: string) => new Date(iso);

describe('booking window', () => {
  it('refuses the past, the lead time and beyond the window', () => {
    expect(sut(at('2026-11-25T01:59:00Z'), now, 'Asia/Shanghai', w)).toBe('START_IN_PAST');
    expect(sut(now, now, 'Asia/Shanghai', w)).toBe('START_IN_PAST');
    expect(sut(at('2026-11-25T02:59:00Z'), now, 'Asia/Shanghai', w)).toBe('START_TOO_SOON');
    expect(sut(at('2026-11-25T03:00:00Z'), now, 'Asia/Shanghai', w)).toBeNull();
    // 2026-12-02 23:30 local is the 7th day after today: allowed; 12-03 00:00 local is not
    expect(sut(at('2026-12-02T15:30:00Z'), now, 'Asia/Shanghai', w)).toBeNull();
    expect(sut(at('2026-12-02T16:00:00Z'), now, 'Asia/Shanghai', w)).toBe('START_BEYOND_WINDOW');
  });

  it('answers exactly as the luxon rule did, in any zone and across DST changes', () => {
    const luxonProblem = (startAt: Date, now: Date, zone: string, win: typeof w) => {
      if (startAt.getTime() <= now.getTime()) return 'START_IN_PAST';
      if (startAt.getTime() < now.getTime() + win.leadTimeMinutes * 60_000) return 'START_TOO_SOON';
      const today = DateTime.fromJSDate(now, { zone }).startOf('day');
      const day = DateTime.fromJSDate(startAt, { zone }).startOf('day');
      return day.diff(today, 'days').days > win.maxDaysAhead ? 'START_BEYOND_WINDOW' : null;
    };
    const zones = [
      'Asia/Shanghai',
      'America/New_York',
      'Europe/London',
      'Australia/Lord_Howe',
      'Asia/Kathmandu',
      'America/Santiago', // DST changes at midnight: some days start at 01:00
      'Africa/Cairo',
      'Mars/Olympus',
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2032, 0, 1) }),
        fc.integer({ min: -3_600_000, max: 40 * 86_400_000 }),
        fc.constantFrom(...zones),
        fc.record({ leadTimeMinutes: fc.integer({ min: 0, max: 600 }), maxDaysAhead: fc.integer({ min: 0, max: 35 }) }),
        (now, ahead, zone, win) => {
          const startAt = new Date(now + ahead);
          expect(sut(startAt, new Date(now), zone, win)).toBe(luxonProblem(startAt, new Date(now), zone, win));
        },
      ),
      { numRuns: 5_000 },
    );
  });
});
