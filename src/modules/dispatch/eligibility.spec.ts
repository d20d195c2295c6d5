import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { judge as sut, type OrderNeed, type TechnicianFacts, type EligibilityRules } from './eligibility';

const H = 3_600_000;
const START = Date.UTC(2026, 11, 1, 6);
const AT = { lat: 31.2304, lng: 121.4737 };
const NEAR = { lat: 31.2404, lng: 121.4737 }; // ~1.1 km north

const order = (over: Partial<OrderNeed> = {}): OrderNeed => ({
  startMs: START,
  endMs: START + H,
  location: AT,
  requiredSkills: ['tuina'],
  blocked: new Set(),
  ...over,
});
const tech = (over: Partial<TechnicianFacts> = {}): TechnicianFacts => ({
  id: 't1',
  status: 'approved',
  disabled: false,
  online: true,
  skills: ['tuina', 'oil'],
  position: NEAR,
  shifts: [{ start: START - 4 * H, end: START + 4 * H }],
  busy: [],
  ...over,
});
const rules: EligibilityRules = {
  nowMs: START - 2 * H,
  radiusM: 3000,
  bufferMinutes: 15,
  eta: { roadFactor: 1.3, speedKmh: 25, overheadMinutes: 10 },
};

describe('judge', () => {
  it('an approved, online, skilled, free technician nearby on shift is eligible', () => {
    const v = sut(tech(), order(), rules);
    expect(v).toMatchObject({ eligible: true, reasons: [], distanceM: 1112 });
    expect(v.etaMinutes).toBe(14);
  });

  it.each([
    ['not_approved', tech({ status: 'pending_review' })],
    ['not_approved', tech({ disabled: true })],
    ['offline', tech({ online: false })],
    ['skills', tech({ skills: ['oil'] })],
    ['too_far', tech({ position: { lat: 31.3, lng: 121.4737 } })],
    ['too_far', tech({ position: null })],
    ['off_shift', tech({ shifts: [{ start: START - 5 * H, end: START + H / 2 }] })],
    ['off_shift', tech({ shifts: [] })],
    ['busy', tech({ busy: [{ start: START + H + 10 * 60_000, end: START + 2 * H }] })],
    ['busy', tech({ busy: [{ start: START - H, end: START - 20 * 60_000 }] })],
  ])('excludes with reason %s', (reason, t) => {
    const v = sut(t, order(), rules);
    expect(v.eligible).toBe(false);
    expect(v.reasons[0]).toBe(reason);
  });

  it('excludes a technician the customer blocked', () => {
    expect(sut(tech(), order({ blocked: new Set(['t1']) }), rules).reasons).toEqual(['blocked']);
  });

  it('excludes when the technician cannot arrive before the start', () => {
    expect(sut(tech(), order(), { ...rules, nowMs: START - 5 * 60_000 }).reasons).toEqual(['eta_late']);
  });

  it('busy time just outside travel + buffer is fine', () => {
    // travel 14 min + buffer 15 min before the start; buffer 15 min after the end
    const busy = [
      { start: START - H, end: START - 29 * 60_000 },
      { start: START + H + 15 * 60_000, end: START + 2 * H },
    ];
    expect(sut(tech({ busy }), order(), rules).eligible).toBe(true);
  });

  it('property: eligible exactly when no reason is given, and reasons are unique', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom('approved', 'disabled', 'applicant'),
        fc.integer({ min: 0, max: 20_000 }),
        fc.integer({ min: -6, max: 6 }),
        (online, skilled, status, radiusM, busyHour) => {
          const t = tech({
            online,
            status,
            skills: skilled ? ['tuina'] : [],
            busy: [{ start: START + busyHour * H, end: START + (busyHour + 1) * H }],
          });
          const v = sut(t, order(), { ...rules, radiusM });
          expect(v.eligible).toBe(v.reasons.length === 0);
          expect(new Set(v.reasons).size).toBe(v.reasons.length);
          if (!online) expect(v.reasons).toContain('offline');
          if (radiusM < 1112) expect(v.reasons).toContain('too_far');
        },
      ),
    );
  });
});
