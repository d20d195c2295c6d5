import { DateTime } from 'luxon';

export type IncomePeriod = 'day' | 'week' | 'month';

export interface EarningLine {
  at: Date;
  amountFen: number;
  orderId: string | null;
}

export interface IncomeBucket {
  /** local start of the period, ISO date (yyyy-MM-dd) in the store's zone */
  period: string;
  count: number;
  amountFen: number;
}

/** The local start (ISO date) of the day / ISO week (Monday) / month that `at` falls in, in `zone`. */
export function periodKey(at: Date, period: IncomePeriod, zone: string): string {
  const local = DateTime.fromJSDate(at, { zone });
  const start =
    period === 'day' ? local.startOf('day') : period === 'week' ? local.startOf('week') : local.startOf('month');
  return start.toISODate() ?? '';
}

/**
 * Buckets earning lines (credits to the technician's payable) per local period. `count` is the
 * number of distinct orders that earned in the period (lines without an order count once each).
 */
export function bucketIncome(lines: EarningLine[], period: IncomePeriod, zone: string): IncomeBucket[] {
  const buckets = new Map<string, { orders: Set<string>; loose: number; amountFen: number }>();
  for (const l of lines) {
    const key = periodKey(l.at, period, zone);
    const b = buckets.get(key) ?? { orders: new Set<string>(), loose: 0, amountFen: 0 };
    if (l.orderId) b.orders.add(l.orderId);
    else b.loose += 1;
    b.amountFen += l.amountFen;
    buckets.set(key, b);
  }
  return [...buckets.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, b]) => ({ period: key, count: b.orders.size + b.loose, amountFen: b.amountFen }));
}
