import { z } from 'zod';
import { HHMM } from '../store-profile/opening-hours';

/** Field types shared by the sections of tenant.yaml; messages read after the field path. */
export const lat = z
  .number({ error: 'must be a number' })
  .min(-90, 'must be between -90 and 90')
  .max(90, 'must be between -90 and 90');
export const lng = z
  .number({ error: 'must be a number' })
  .min(-180, 'must be between -180 and 180')
  .max(180, 'must be between -180 and 180');
export const latLng = z.strictObject({ lat, lng });
export const hhmm = z.string().regex(HHMM, 'must be HH:mm (00:00–23:59)');

/** The stable name of a row the sync manages (`sync_key`); renaming it makes a new row. */
export const syncKey = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'must be 1–40 lower-case letters, digits, - or _ (a stable key)');

/** Skill codes shared by services (required) and technicians (held), e.g. tuina, spa_oil, foot. */
export const skill = z.string().regex(/^[a-z][a-z0-9_]{1,31}$/, 'must be a skill code such as tuina or spa_oil');

export const fen = z
  .number({ error: 'must be a number' })
  .int('must be whole fen (¥198 = 19800)')
  .min(0, 'must not be negative')
  .max(10_000_000, 'must be at most 10000000 fen');

/** Reports each value that appears more than once, at its own path. */
export function refineUnique<T>(
  items: readonly T[],
  valueOf: (item: T) => string,
  pathOf: (index: number) => Array<string | number>,
  ctx: z.RefinementCtx,
  what = 'is listed twice',
): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const v = valueOf(item);
    if (seen.has(v)) ctx.addIssue({ code: 'custom', path: pathOf(i), message: what });
    seen.add(v);
  });
}
