import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assertBalanced,
  cancellationFee,
  orderSettlement,
  overpayment,
  paymentReceived,
  refundPaid,
  settlementSplit,
  UnbalancedPostingError,
  walletTopUp,
  type Posting,
} from './ledger-postings';

const order = '11111111-1111-4111-8111-111111111111';
const customer = '22222222-2222-4222-8222-222222222222';
const tech = '33333333-3333-4333-8333-333333333333';
const sum = (p: Posting | null) => (p ? p.lines.reduce((s, l) => s + l.amountFen, 0) : 0);
const line = (p: Posting | null, account: string) => p?.lines.find((l) => l.account === account)?.amountFen;

describe('ledger postings', () => {
  it('a provider payment debits its clearing account and credits the order', () => {
    const sut = paymentReceived({
      source: { kind: 'provider', provider: 'wechat' },
      paymentId: 'p1',
      orderId: order,
      amountFen: 9900,
    });
    expect(sut.kind).toBe('payment');
    expect(sut.reference).toBe('p1');
    expect(line(sut, 'clearing:wechat')).toBe(9900);
    expect(line(sut, `order_liability:${order}`)).toBe(-9900);
    expect(sum(sut)).toBe(0);
  });

  it('a balance payment spends the wallet; cash is a collection on the technician', () => {
    const wallet = paymentReceived({
      source: { kind: 'wallet', customerId: customer },
      paymentId: 'p',
      orderId: order,
      amountFen: 100,
    });
    expect(line(wallet, `customer_wallet:${customer}`)).toBe(100);
    const cash = paymentReceived({
      source: { kind: 'cash', technicianId: tech },
      paymentId: 'c',
      orderId: order,
      amountFen: 100,
    });
    expect(cash.kind).toBe('cash_collection');
    expect(line(cash, `cash_on_hand:${tech}`)).toBe(100);
  });

  it('refunds reverse through the source; cash refunds are paid out by the store', () => {
    const sut = refundPaid({
      source: { kind: 'cash', technicianId: tech },
      refundId: 'r',
      orderId: order,
      amountFen: 50,
    });
    expect(line(sut, 'clearing:cash')).toBe(-50);
    expect(line(sut, `order_liability:${order}`)).toBe(50);
    const toWallet = refundPaid({
      source: { kind: 'wallet', customerId: customer },
      refundId: 'r2',
      orderId: order,
      amountFen: 50,
    });
    expect(line(toWallet, `customer_wallet:${customer}`)).toBe(-50);
  });

  it('a refund after settlement takes what the order no longer holds back from store revenue', () => {
    const sut = refundPaid({
      source: { kind: 'provider', provider: 'sandbox' },
      refundId: 'r',
      orderId: order,
      amountFen: 100,
      heldFen: 30,
    });
    expect(line(sut, `order_liability:${order}`)).toBe(30);
    expect(line(sut, 'store_revenue')).toBe(70);
    expect(line(sut, 'clearing:sandbox')).toBe(-100);
    const settled = refundPaid({
      source: { kind: 'provider', provider: 'sandbox' },
      refundId: 'r',
      orderId: order,
      amountFen: 100,
      heldFen: 0,
    });
    expect(settled.lines.map((l) => l.account)).toEqual(['store_revenue', 'clearing:sandbox']);
  });

  it('a cancellation fee is split between store and technician, nothing posted when free', () => {
    const sut = cancellationFee({
      orderId: order,
      requestId: 'q',
      storeShareFen: 70,
      technicianShareFen: 30,
      technicianId: tech,
    });
    expect(line(sut, 'store_revenue')).toBe(-70);
    expect(line(sut, `technician_payable:${tech}`)).toBe(-30);
    expect(sum(sut)).toBe(0);
    expect(
      cancellationFee({ orderId: order, requestId: 'q', storeShareFen: 0, technicianShareFen: 0, technicianId: null }),
    ).toBeNull();
    const noTech = cancellationFee({
      orderId: order,
      requestId: 'q',
      storeShareFen: 10,
      technicianShareFen: 0,
      technicianId: null,
    });
    expect(noTech?.lines).toHaveLength(2);
  });

  it('settlement splits by rate, rounding down for technician and platform, rest to the store', () => {
    expect(settlementSplit(999, 3333, 500)).toEqual({ technicianFen: 332, platformFeeFen: 49, storeFen: 618 });
    expect(() => settlementSplit(100, 9000, 2000)).toThrow(UnbalancedPostingError);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 0, max: 9000 }),
        fc.integer({ min: 0, max: 1000 }),
        (amount, c, f) => {
          const s = settlementSplit(amount, c, f);
          expect(s.technicianFen + s.platformFeeFen + s.storeFen).toBe(amount);
          expect(Math.min(s.technicianFen, s.platformFeeFen, s.storeFen)).toBeGreaterThanOrEqual(0);
          expect(
            sum(
              orderSettlement({
                orderId: order,
                technicianId: tech,
                heldFen: amount,
                commissionBps: c,
                platformFeeBps: f,
              }),
            ),
          ).toBe(0);
        },
      ),
    );
  });

  it('top-ups and overpayments credit the wallet', () => {
    expect(
      line(walletTopUp({ customerId: customer, amountFen: 500, reference: 't' }), `customer_wallet:${customer}`),
    ).toBe(-500);
    expect(
      line(
        overpayment({ provider: 'sandbox', paymentId: 'p', customerId: customer, amountFen: 5 }),
        'clearing:sandbox',
      ),
    ).toBe(5);
  });

  it('refuses unbalanced, one-line, fractional, non-positive and unknown-account postings', () => {
    const base = { kind: 'correction' as const, memo: 'x' };
    expect(() =>
      assertBalanced({
        ...base,
        lines: [
          { account: 'store_revenue', amountFen: 1 },
          { account: 'platform_fee', amountFen: -2 },
        ],
      }),
    ).toThrow(UnbalancedPostingError);
    expect(() =>
      assertBalanced({
        ...base,
        lines: [
          { account: 'store_revenue', amountFen: 1 },
          { account: 'platform_fee', amountFen: 0 },
        ],
      }),
    ).toThrow(/two lines/);
    expect(() =>
      assertBalanced({
        ...base,
        lines: [
          { account: 'store_revenue', amountFen: 0.5 },
          { account: 'platform_fee', amountFen: -0.5 },
        ],
      }),
    ).toThrow(/integer/);
    expect(() =>
      assertBalanced({
        ...base,
        lines: [
          { account: 'bank', amountFen: 1 },
          { account: 'platform_fee', amountFen: -1 },
        ],
      }),
    ).toThrow(/unknown account/);
    expect(() =>
      paymentReceived({
        source: { kind: 'provider', provider: 'alipay' },
        paymentId: 'p',
        orderId: order,
        amountFen: 0,
      }),
    ).toThrow(/positive/);
  });
});
