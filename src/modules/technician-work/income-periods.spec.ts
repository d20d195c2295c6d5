import { describe, expect, it } from 'vitest';
import { bucketIncome as sut, periodKey } from './income-periods';

describe('bucketIncome', () => {
  const zone = 'Asia/Shanghai';
  it('uses the store zone: 23:30 UTC is the next local day in Shanghai', () => {
    expect(periodKey(new Date('2026-11-24T23:30:00Z'), 'day', zone)).toBe('2026-11-25');
  });
  it('counts orders once and sums their lines per period', () => {
    const r = sut(
      [
        { at: new Date('2026-11-24T02:00:00Z'), amountFen: 100, orderId: 'o1' },
        { at: new Date('2026-11-24T03:00:00Z'), amountFen: 50, orderId: 'o1' },
        { at: new Date('2026-11-26T03:00:00Z'), amountFen: 70, orderId: 'o2' },
      ],
      'week',
      zone,
    );
    expect(r).toEqual([{ period: '2026-11-23', count: 2, amountFen: 220 }]);
    expect(sut([{ at: new Date('2026-11-24T02:00:00Z'), amountFen: 5, orderId: null }], 'month', zone)).toEqual([
      { period: '2026-11-01', count: 1, amountFen: 5 },
    ]);
  });
});
