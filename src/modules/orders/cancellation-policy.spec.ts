import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cancellationOutcome as sut, parseFeeSteps, type CancellationPolicy } from './cancellation-policy';

const policy: CancellationPolicy = {
  freeCancelMinutes: 120,
  fees: [
    { withinMinutes: 120, feePercent: 20 },
    { withinMinutes: 30, feePercent: 50 },
  ],
  technicianSharePct: 50,
};
const start = new Date('2026-11-26T10:00:00Z');
const before = (min: number) => new Date(start.getTime() - min * 60_000);

describe('cancellation policy', () => {
  it('is free more than the window before the start', () => {
    const r = sut({ policy, startAt: start, now: before(121), paidFen: 19800, technicianDeparted: false });
    expect(r).toMatchObject({ feePercent: 0, feeFen: 0, refundFen: 19800, technicianShareFen: 0 });
  });

  it('charges the wide step inside the window, the narrow step close to the start', () => {
    expect(sut({ policy, startAt: start, now: before(120), paidFen: 10000, technicianDeparted: false }).feeFen).toBe(
      2000,
    );
    expect(sut({ policy, startAt: start, now: before(45), paidFen: 10000, technicianDeparted: false }).feeFen).toBe(
      2000,
    );
    expect(sut({ policy, startAt: start, now: before(30), paidFen: 10000, technicianDeparted: false }).feeFen).toBe(
      5000,
    );
    expect(sut({ policy, startAt: start, now: before(1), paidFen: 10000, technicianDeparted: false }).feeFen).toBe(
      5000,
    );
  });

  it('applies the highest step at or after the start (no-show), 100 % without steps', () => {
    expect(
      sut({ policy, startAt: start, now: before(-10), paidFen: 10000, technicianDeparted: false }).feePercent,
    ).toBe(50);
    const none = { ...policy, fees: [] };
    expect(
      sut({ policy: none, startAt: start, now: before(0), paidFen: 10000, technicianDeparted: false }).feeFen,
    ).toBe(10000);
  });

  it('gives the departed technician their share of the fee, nothing before departure', () => {
    const gone = sut({ policy, startAt: start, now: before(20), paidFen: 9999, technicianDeparted: true });
    expect(gone).toMatchObject({ feeFen: 4999, technicianShareFen: 2499, storeShareFen: 2500, refundFen: 5000 });
    expect(
      sut({ policy, startAt: start, now: before(20), paidFen: 9999, technicianDeparted: false }).technicianShareFen,
    ).toBe(0);
  });

  it('refund + fee = paid, shares add up, nothing negative (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: -600, max: 3000 }),
        fc.boolean(),
        (paid, minutes, departed) => {
          const r = sut({ policy, startAt: start, now: before(minutes), paidFen: paid, technicianDeparted: departed });
          expect(r.refundFen + r.feeFen).toBe(paid);
          expect(r.technicianShareFen + r.storeShareFen).toBe(r.feeFen);
          expect(Math.min(r.refundFen, r.feeFen, r.technicianShareFen, r.storeShareFen)).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });

  it('parses stored fee steps and drops malformed ones', () => {
    expect(
      parseFeeSteps([{ withinMinutes: 60, feePercent: 30 }, { withinMinutes: -1, feePercent: 10 }, null, 'x']),
    ).toEqual([{ withinMinutes: 60, feePercent: 30 }]);
    expect(parseFeeSteps({})).toEqual([]);
  });
});
