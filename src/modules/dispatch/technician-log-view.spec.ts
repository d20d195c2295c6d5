import { describe, expect, it } from 'vitest';
import type { DispatchLogLineDto } from './dto/dispatch-log.dto';
import { technicianView as sut } from './technician-log-view';

let seq = 0;
const line = (
  kind: string,
  technicianId: string | null,
  details: Record<string, unknown> = {},
): DispatchLogLineDto => ({
  seq: ++seq,
  at: new Date(Date.UTC(2026, 10, 25, 10, 0, seq)).toISOString(),
  kind,
  kindLabel: { zh: kind, en: kind },
  technicianId,
  score: kind === 'scored' || kind === 'offered' ? { total: 0.8 } : null,
  reasonCode: null,
  reasonLabel: null,
  details,
  actorType: 'system',
  actorId: technicianId,
});

describe('technicianView', () => {
  const story = [
    line('excluded', 'me', { reasons: ['busy'] }),
    line('scored', 'tech-b', { etaMinutes: 12 }),
    line('scored', 'me', { etaMinutes: 15 }),
    line('offered', 'me', { offerId: 'o1', round: 1, etaMinutes: 15 }),
    line('expired', 'me', { offerId: 'o1', round: 1 }),
    line('offered', 'tech-b', { offerId: 'o2', round: 2 }),
    line('assigned', 'tech-b', { via: 'auto', reason: 'x', offerId: 'o2' }),
  ];

  it('shows own lines and "taken" without who', () => {
    const v = sut(story, 'me')!;
    expect(v.map((l) => l.kind)).toEqual(['offered', 'expired', 'taken']);
    expect(JSON.stringify(v)).not.toContain('tech-b');
    expect(v[2]).toMatchObject({ technicianId: null, actorId: null, details: {}, score: null });
  });

  it('keeps only harmless details of own lines', () => {
    expect(sut(story, 'me')![0]!.details).toEqual({ offerId: 'o1', round: 1 });
  });

  it('a technician never involved gets nothing (the order does not exist for them)', () => {
    expect(sut(story, 'stranger')).toBeNull();
  });

  it('a technician reassigned away sees that it was taken', () => {
    const v = sut(
      [line('assigned', 'me', { via: 'manual' }), line('reassigned', 'new', { fromTechnicianId: 'me' })],
      'me',
    )!;
    expect(v.map((l) => l.kind)).toEqual(['assigned', 'taken']);
    expect(JSON.stringify(v)).not.toContain('new');
  });

  it('outcomes before they were involved are not theirs to see', () => {
    const v = sut([line('assigned', 'first'), line('reassigned', 'me', { fromTechnicianId: 'first' })], 'me')!;
    expect(v.map((l) => l.kind)).toEqual(['reassigned']);
    expect(v[0]!.details).toEqual({});
  });
});
