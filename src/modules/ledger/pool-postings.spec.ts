import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UnbalancedPostingError } from './ledger-postings';
import { poolTakerSettlement } from './pool-postings';

const offer = '44444444-4444-4444-8444-444444444444';
const tech = '33333333-3333-4333-8333-333333333333';

describe('pool taker settlement', () => {
  it('the network owes the share; the technician earns their rate of it, the store the rest', () => {
    const sut = poolTakerSettlement({ offerId: offer, technicianId: tech, shareFen: 15840, commissionBps: 6000 });
    expect(sut).toMatchObject({ kind: 'pool_settlement', reference: offer });
    expect(sut?.lines).toEqual([
      { account: 'pool_receivable', amountFen: 15840 },
      { account: `technician_payable:${tech}`, amountFen: -9504 },
      { account: 'pool_revenue', amountFen: -6336 },
    ]);
  });

  it('balances for any share and rate; nothing to post for a zero share; refuses nonsense', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 0, max: 10_000 }), (share, bps) => {
        const p = poolTakerSettlement({ offerId: offer, technicianId: tech, shareFen: share, commissionBps: bps })!;
        expect(p.lines.reduce((s, l) => s + l.amountFen, 0)).toBe(0);
        expect(p.lines.find((l) => l.account === 'pool_receivable')?.amountFen).toBe(share);
      }),
    );
    expect(poolTakerSettlement({ offerId: offer, technicianId: tech, shareFen: 0, commissionBps: 5000 })).toBeNull();
    expect(() => poolTakerSettlement({ offerId: offer, technicianId: tech, shareFen: -1, commissionBps: 0 })).toThrow(
      UnbalancedPostingError,
    );
    expect(() =>
      poolTakerSettlement({ offerId: offer, technicianId: tech, shareFen: 1, commissionBps: 10_001 }),
    ).toThrow(UnbalancedPostingError);
  });
});
