import { describe, expect, it } from 'vitest';
import { refundableFen, refundWithinPolicy, requestSplit } from './refund-rules';

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
  describe('requestSplit', () => {
    const request = { amountFen: 8000, feeFen: 2000, technicianShareFen: 1000 };
    it('gives the policy’s refund and fee when the order holds them', () => {
      expect(requestSplit({ paidFen: 10000, refundedFen: 0, inFlightFen: 0, request })).toEqual({
        refundFen: 8000,
        feeFen: 2000,
        technicianShareFen: 1000,
      });
    });
    it('caps both by what is left after refunds given meanwhile (refund first, then the fee)', () => {
      expect(requestSplit({ paidFen: 10000, refundedFen: 1500, inFlightFen: 0, request })).toEqual({
        refundFen: 8000,
        feeFen: 500,
        technicianShareFen: 500,
      });
      expect(requestSplit({ paidFen: 10000, refundedFen: 3000, inFlightFen: 1000, request })).toEqual({
        refundFen: 6000,
        feeFen: 0,
        technicianShareFen: 0,
      });
    });
    it('a refund of the request that already succeeded (settled later) is counted once, not twice', () => {
      const refund = { amountFen: 8000, succeeded: true };
      expect(requestSplit({ paidFen: 10000, refundedFen: 8000, inFlightFen: 0, request, refund })).toEqual({
        refundFen: 8000,
        feeFen: 2000,
        technicianShareFen: 1000,
      });
    });
  });
});
