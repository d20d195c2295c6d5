import fc from 'fast-check';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { parseTimestamptz, sqlPoolTypes } from './pg-timestamptz';

const pgParse = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ, 'text') as (t: string) => Date | number;
const same = (text: string) => expect(parseTimestamptz(text).valueOf()).toBe(pgParse(text).valueOf());

describe('parseTimestamptz', () => {
  it('agrees with pg on every UTC timestamp PostgreSQL can print, whatever its fraction', () => {
    const two = (n: number) => String(n).padStart(2, '0');
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9999 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 28 }),
        fc.integer({ min: 0, max: 86_399 }),
        fc.option(fc.stringMatching(/^[0-9]{1,6}$/)),
        (y, m, d, s, frac) => {
          const time = `${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
          same(`${String(y).padStart(4, '0')}-${two(m)}-${two(d)} ${time}${frac ? `.${frac}` : ''}+00`);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('hands other offsets, BC dates, long years and infinity to pg', () => {
    for (const text of [
      '2026-12-04 21:25:14.5+08',
      '2026-12-04 08:55:14+05:30',
      '0044-03-15 12:00:00+00 BC',
      '12026-01-01 00:00:00+00',
      'infinity',
      '-infinity',
    ]) {
      expect(parseTimestamptz(text).valueOf()).toEqual(pgParse(text).valueOf());
    }
    expect(parseTimestamptz('2026-12-04 13:25:14.123456+00').toISOString()).toBe('2026-12-04T13:25:14.123Z');
  });

  it('is what the SQL pool uses for timestamptz, and only for it', () => {
    expect(sqlPoolTypes.getTypeParser(pg.types.builtins.TIMESTAMPTZ, 'text')).toBe(parseTimestamptz);
    expect(sqlPoolTypes.getTypeParser(pg.types.builtins.INT8, 'text')).toBe(
      pg.types.getTypeParser(pg.types.builtins.INT8, 'text'),
    );
  });
});
