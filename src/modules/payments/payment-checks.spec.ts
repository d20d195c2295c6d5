import { describe, expect, it } from 'vitest';
import { claimMismatch, outRefundNoOf, outTradeNoOf } from './payment-checks';

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

describe('trade numbers', () => {
  it('are 32 characters, provider-safe and distinct for payments and refunds', () => {
    const id = '0f8fad5b-d9cb-469f-a165-70867728950e';
    expect(outTradeNoOf(id)).toMatch(/^P[0-9a-f]{31}$/);
    expect(outRefundNoOf(id)).toMatch(/^R[0-9a-f]{31}$/);
  });
});
