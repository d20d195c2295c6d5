import pg from 'pg';

const pgParseTimestamptz = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ, 'text') as (text: string) => Date;

/**
 * `timestamptz` text as the SQL pool's sessions send it (TimeZone UTC, DateStyle ISO:
 * `2026-12-04 13:25:14.123456+00`) becomes a Date through the engine's own ISO parser, with no
 * regex and no intermediate match arrays (pg's default parser was the hot read paths' largest
 * allocation). Anything else — another offset, BC, more than four year digits, infinity — goes
 * to pg's own parser, so the result is always the same as pg's.
 */
export function parseTimestamptz(text: string): Date {
  const n = text.length;
  if (n >= 22 && n <= 29 && text.charCodeAt(10) === 32 && text.endsWith('+00')) {
    const date = new Date(`${text.slice(0, 10)}T${text.slice(11, n - 3)}Z`);
    if (!Number.isNaN(date.getTime())) return date;
  }
  return pgParseTimestamptz(text);
}

/** The SQL pool's type parsers: pg's, with the fast `timestamptz` path above. */
export const sqlPoolTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.TIMESTAMPTZ && format !== 'binary'
      ? parseTimestamptz
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};
