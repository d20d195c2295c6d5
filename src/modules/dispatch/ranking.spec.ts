import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rank as sut, score, type RankInput, type RankingWeights } from './ranking';

const W: RankingWeights = { eta: 40, rating: 25, tier: 15, fairness: 20 };
const c = (technicianId: string, over: Partial<RankInput> = {}): RankInput => ({
  technicianId,
  etaMinutes: 20,
  ratingAvg: 4.5,
  tierRank: 0.5,
  recentAssignments: 0,
  ...over,
});

const candidate = fc.record({
  technicianId: fc.uuid(),
  etaMinutes: fc.integer({ min: 0, max: 300 }),
  ratingAvg: fc.option(fc.double({ min: 0, max: 5, noNaN: true }), { nil: null }),
  tierRank: fc.double({ min: 0, max: 1, noNaN: true }),
  recentAssignments: fc.integer({ min: 0, max: 30 }),
});
const weights = fc.record({
  eta: fc.integer({ min: 0, max: 100 }),
  rating: fc.integer({ min: 0, max: 100 }),
  tier: fc.integer({ min: 0, max: 100 }),
  fairness: fc.integer({ min: 0, max: 100 }),
});

describe('rank', () => {
  it('prefers the closer technician when everything else is equal', () => {
    expect(sut([c('b', { etaMinutes: 40 }), c('a', { etaMinutes: 15 })], W).map((r) => r.technicianId)).toEqual([
      'a',
      'b',
    ]);
  });

  it('fairness: fewer assignments in the last 24 h ranks higher', () => {
    const ranked = sut([c('busy', { recentAssignments: 5 }), c('idle')], W);
    expect(ranked[0]!.technicianId).toBe('idle');
    expect(ranked[0]!.score.fairness).toBe(1);
    expect(ranked[1]!.score.fairness).toBeCloseTo(1 / 6, 4);
  });

  it('breaks exact ties by technician id', () => {
    expect(sut([c('z'), c('m'), c('a')], W).map((r) => r.technicianId)).toEqual(['a', 'm', 'z']);
  });

  it('only the weighted criteria count', () => {
    const ranked = sut([c('near', { etaMinutes: 5, ratingAvg: 3 }), c('star', { etaMinutes: 60, ratingAvg: 5 })], {
      eta: 0,
      rating: 100,
      tier: 0,
      fairness: 0,
    });
    expect(ranked[0]!.technicianId).toBe('star');
  });

  it('property: totals stay in [0, 1] and every part is in [0, 1]', () => {
    fc.assert(
      fc.property(candidate, weights, (x, w) => {
        const s = score(x, w);
        for (const v of Object.values(s)) expect(v >= 0 && v <= 1).toBe(true);
      }),
    );
  });

  it('property: the ranking is a permutation, sorted by total, independent of input order', () => {
    fc.assert(
      fc.property(fc.uniqueArray(candidate, { selector: (x) => x.technicianId, maxLength: 20 }), weights, (xs, w) => {
        const a = sut(xs, w);
        const b = sut([...xs].reverse(), w);
        expect(a.map((r) => r.technicianId)).toEqual(b.map((r) => r.technicianId));
        expect(new Set(a.map((r) => r.technicianId))).toEqual(new Set(xs.map((x) => x.technicianId)));
        for (let i = 1; i < a.length; i++) expect(a[i - 1]!.score.total).toBeGreaterThanOrEqual(a[i]!.score.total);
      }),
    );
  });

  it('property: a better rating never lowers a technician below an otherwise identical rival', () => {
    fc.assert(
      fc.property(candidate, fc.double({ min: 0, max: 5, noNaN: true }), (x, better) => {
        const base = x.ratingAvg ?? 3;
        const hi = Math.max(base, better);
        const ranked = sut(
          [
            { ...x, technicianId: 'b', ratingAvg: base },
            { ...x, technicianId: 'a', ratingAvg: hi },
          ],
          W,
        );
        expect(ranked[0]!.technicianId).toBe('a');
      }),
    );
  });
});
