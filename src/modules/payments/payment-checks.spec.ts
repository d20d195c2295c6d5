import { describe, expect, it } from 'vitest';
import { claimMismatch, outRefundNoOf, outTradeNoOf, refundClaimMismatch } from './payment-checks';

const expected = { amountFen: 19900, currency: 'CNY', merchantId: 'M1' };

describe('claimMismatch', () => {
  it('accepts a claim that matches', () => {
    expect(claimMismatch({ amountFen: 19900, currency: 'CNY', merchantId: 'M1' }, expected)).toBeNull();
  });
  it('names the first difference, merchant before currency before amount', () => {
    expect(claimMismatch({ amountFen: 1, currency: 'USD', merchantId: 'M2' }, expected)).toBe('merchant');
    expect(claimMismatch({ amountFen: 1, currency: 'USD', merchantId: 'M1' }, expected)).toBe('currency');
    expect(claimMismatch({ amountFen: 19901, currency: 'CNY', merchantId: 'M1' }, expected)).toBe('amount');
  });
  it('ignores fields the provider did not report (e.g. a query without merchant)', () => {
    expect(claimMismatch({ amountFen: 19900 }, expected)).toBeNull();
  });
});

describe('refundClaimMismatch', () => {
  const refund = { outTradeNo: 'P1', refundFen: 500, merchantId: 'M1' };
  it('accepts a matching report, and one that leaves fields out (a query without merchant)', () => {
    expect(refundClaimMismatch({ outTradeNo: 'P1', refundFen: 500, merchantId: 'M1' }, refund)).toBeNull();
    expect(refundClaimMismatch({ refundFen: 500 }, refund)).toBeNull();
  });
  it('names the first difference: merchant, then the payment, then the amount', () => {
    expect(refundClaimMismatch({ outTradeNo: 'P2', refundFen: 1, merchantId: 'M2' }, refund)).toBe('merchant');
    expect(refundClaimMismatch({ outTradeNo: 'P2', refundFen: 1, merchantId: 'M1' }, refund)).toBe('unknown_refund');
    expect(refundClaimMismatch({ outTradeNo: 'P1', refundFen: 501 }, refund)).toBe('amount');
  });
});

describe('trade numbers', () => {
  it('are 32 characters, provider-safe and distinct for payments and refunds', () => {
    const id = '0f8fad5b-d9cb-469f-a165-70867728950e';
    expect(outTradeNoOf(id)).toMatch(/^P[0-9a-f]{31}$/);
    expect(outRefundNoOf(id)).toMatch(/^R[0-9a-f]{31}$/);
  });
});
