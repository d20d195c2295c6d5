import { describe, expect, it } from 'vitest';
import { evaluationEntries as sut } from './evaluation-log';

describe('evaluationEntries', () => {
  const ev = {
    excluded: [
      { technicianId: 'a', eligible: false, reasons: ['offline', 'too_far'] as const, distanceM: 9000, etaMinutes: 40 },
      { technicianId: 'x', eligible: false, reasons: ['busy'] as const, distanceM: 100, etaMinutes: 11 },
    ].map((v) => ({ ...v, reasons: [...v.reasons] })),
    ranked: [
      {
        technicianId: 'b',
        etaMinutes: 12,
        ratingAvg: 4.5,
        tierRank: 1,
        recentAssignments: 0,
        distanceM: 800,
        score: { eta: 0.9, rating: 0.9, tier: 1, fairness: 1, total: 0.93 },
      },
    ],
  };

  it('one excluded line per ineligible technician (headline reason + all reasons), one scored line per candidate', () => {
    const lines = sut('o1', ev, new Set(['x']), 3000, 0);
    expect(lines.map((l) => [l.kind, l.technicianId, l.reasonCode ?? null])).toEqual([
      ['excluded', 'a', 'offline'],
      ['scored', 'b', null],
    ]);
    expect(lines[0]!.details).toMatchObject({ reasons: ['offline', 'too_far'], radiusM: 3000, stepIndex: 0 });
    expect(lines[1]!.score).toEqual(ev.ranked[0]!.score);
    expect(lines.every((l) => l.orderId === 'o1' && l.actorType === 'system')).toBe(true);
  });
});
