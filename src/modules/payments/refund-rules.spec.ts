import { describe, expect, it } from 'vitest';
import { refundableFen, refundWithinPolicy } from './refund-rules';

describe('refund rules', () => {
  it('refundable is paid minus refunded minus in flight, never negative', () => {
    expect(refundableFen(10000, 2000, 3000)).toBe(5000);
    expect(refundableFen(10000, 10000, 0)).toBe(0);
    expect(refundableFen(100, 80, 50)).toBe(0);
  });
  it('owners and managers decide; customers and staff ask', () => {
    expect(refundWithinPolicy({ role: 'tenant_owner' })).toBe(true);
    expect(refundWithinPolicy({ role: 'store_manager' })).toBe(true);
    expect(refundWithinPolicy({ role: 'store_staff' })).toBe(false);
    expect(refundWithinPolicy({ role: 'customer' })).toBe(false);
  });
});
