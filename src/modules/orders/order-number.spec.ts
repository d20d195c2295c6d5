import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { defaultPrefix, formatOrderNumber as sut, localDateOf } from './order-number';

describe('order numbers', () => {
  it('joins prefix, local date and a four-digit sequence', () => {
    expect(sut('JA', '2026-11-25', 42)).toBe('JA20261125-0042');
    expect(sut('JA', '2026-11-25', 12345)).toBe('JA20261125-12345');
  });
  it('uses the store-local date (Shanghai is UTC+8)', () => {
    expect(localDateOf(new Date('2026-11-25T16:30:00Z'), 'Asia/Shanghai')).toBe('2026-11-26');
    expect(localDateOf(new Date('2026-11-25T15:59:00Z'), 'Asia/Shanghai')).toBe('2026-11-25');
  });
  it('writes the local date exactly as luxon did, in any zone, and refuses an unknown one', () => {
    const zones = ['Asia/Shanghai', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu'];
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2032-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.constantFrom(...zones),
        (at, zone) => {
          expect(localDateOf(at, zone)).toBe(DateTime.fromJSDate(at, { zone }).toISODate());
        },
      ),
      { numRuns: 5_000 },
    );
    expect(() => localDateOf(new Date(), 'Mars/Olympus')).toThrow('invalid zone Mars/Olympus');
    expect(() => localDateOf(new Date(NaN), 'Asia/Shanghai')).toThrow('invalid zone Asia/Shanghai');
  });
  it('derives a two-letter prefix from the slug', () => {
    expect(defaultPrefix('jade-spa')).toBe('JA');
    expect(defaultPrefix('x1')).toBe('XX');
  });
});
