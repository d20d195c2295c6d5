import { localIsoDate } from '../../platform/time/zoned-time';

/**
 * Human-readable order numbers: store prefix + the store's local date + a per-store daily
 * sequence, e.g. `JA20261125-0042`. The sequence comes from `order_number_counters`, bumped in
 * the order's own transaction (gap-free: a rolled-back order gives its number back).
 */
export function formatOrderNumber(prefix: string, localDate: string, seq: number): string {
  return `${orderNumberPrefix(prefix, localDate)}-${String(seq).padStart(4, '0')}`;
}

/** The part before the sequence (booking adds `-{seq}` in SQL, padded to 4 digits the same way). */
export function orderNumberPrefix(prefix: string, localDate: string): string {
  return `${prefix}${localDate.replaceAll('-', '')}`;
}

/** `YYYY-MM-DD` of `at` in the store's zone. */
export function localDateOf(at: Date, zone: string): string {
  const d = localIsoDate(at, zone);
  if (d === null) throw new Error(`invalid zone ${zone}`);
  return d;
}

/** The default prefix when a store has not set one: the first two letters of its slug. */
export function defaultPrefix(slug: string): string {
  const letters = slug.replace(/[^a-z]/gi, '').toUpperCase();
  return (letters + 'XX').slice(0, 2);
}
