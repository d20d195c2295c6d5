import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  computeAvailability,
  type AvailabilityQuery,
  type BookingRules,
  type BusyInterval,
  type TechnicianDay,
} from './availability-engine';
import { etaMinutes, MINUTE_MS, type LatLng } from './travel-eta';

const sut = computeAvailability;
const MIN = MINUTE_MS;
const zone = 'Asia/Shanghai';
const at = (local: string, z = zone) => DateTime.fromISO(local, { zone: z }).toMillis();
const hhmm = (ms: number, z = zone) => DateTime.fromMillis(ms, { zone: z }).toFormat('HH:mm');

const rules: BookingRules = {
  gridMinutes: 30,
  leadTimeMinutes: 60,
  maxDaysAhead: 7,
  bufferMinutes: 15,
  eta: { roadFactor: 1.3, speedKmh: 25, overheadMinutes: 10 },
};
const customer: LatLng = { lat: 31.2304, lng: 121.4737 };
/** A point `km` kilometres due north of the customer. */
const north = (km: number): LatLng => ({
  lat: customer.lat + km / ((2 * Math.PI * 6371.0088) / 360),
  lng: customer.lng,
});

function query(technicians: TechnicianDay[], over: Partial<AvailabilityQuery> = {}): AvailabilityQuery {
  return {
    zone,
    now: at('2026-11-25T08:00'),
    from: at('2026-11-26T00:00'),
    to: at('2026-11-27T00:00'),
    durationMinutes: 60,
    customer,
    rules,
    technicians,
    ...over,
  };
}
const day = (start: string, end: string) => [{ start: at(`2026-11-26T${start}`), end: at(`2026-11-26T${end}`) }];
const busy = (start: string, end: string, location: LatLng | null): BusyInterval => ({
  start: at(`2026-11-26T${start}`),
  end: at(`2026-11-26T${end}`),
  location,
});
const times = (q: AvailabilityQuery) => sut(q).map((s) => hhmm(s.start));

describe('computeAvailability (examples)', () => {
  it('offers grid starts inside the shift once the technician can arrive from home', () => {
    // 10 km × 1.3 / 25 km/h = 31.2 → 32 min + 10 overhead = 42 min from home: 09:00 + 42 > 09:30.
    const q = query([{ id: 'a', shifts: day('09:00', '12:00'), busy: [], origin: north(10) }]);
    expect(etaMinutes(north(10), customer, rules.eta)).toBe(42);
    expect(times(q)).toEqual(['10:00', '10:30', '11:00']);
  });

  it('leaves buffer around busy time and travel time from the previous job', () => {
    // Job 10:00–11:00 at 5 km: 5×1.3/25×60 = 15.6 → 16 + 10 = 26 min; 11:00 + 15 buffer + 26 = 11:41.
    const q = query([
      { id: 'a', shifts: day('09:00', '15:00'), busy: [busy('10:00', '11:00', north(5))], origin: customer },
    ]);
    // 09:00 is too early (10 min overhead from home), 09:30 runs into the job's buffer.
    expect(times(q)).toEqual(['12:00', '12:30', '13:00', '13:30', '14:00']);
  });

  it('starts a shift from a job that ends exactly at the shift start, not from home', () => {
    // Job 09:00–10:00 at 10 km (42 min), shift from 10:00, home at the customer's (10 min):
    // 10:00 + 15 buffer + 42 = 10:57, so 11:00 — not 10:30 as from home.
    const q = query([
      { id: 'a', shifts: day('10:00', '12:00'), busy: [busy('09:00', '10:00', north(10))], origin: customer },
    ]);
    expect(times(q)).toEqual(['11:00']);
  });

  it('treats touching shifts as one working block (slots across the seam, no second trip from home)', () => {
    const shifts = [...day('09:00', '11:00'), ...day('11:00', '13:00')];
    const q = query([{ id: 'a', shifts, busy: [], origin: customer }]);
    expect(times(q)).toEqual(['09:30', '10:00', '10:30', '11:00', '11:30', '12:00']);
  });

  it('requires the next job to be reachable from the customer after the slot', () => {
    // Job 12:00 at 20 km: 20×1.3/25×60 = 62.4 → 63 + 10 = 73 min. Slot ends + 15 + 73 ≤ 12:00.
    const q = query([
      { id: 'a', shifts: day('09:00', '15:00'), busy: [busy('12:00', '13:00', north(20))], origin: customer },
    ]);
    expect(times(q).filter((t) => t < '12:00')).toEqual(['09:30']);
  });

  it('honours lead time and the booking window', () => {
    const q = query([{ id: 'a', shifts: day('09:00', '12:00'), busy: [], origin: customer }], {
      now: at('2026-11-26T09:10'),
    });
    expect(times(q)).toEqual(['10:30', '11:00']);
    const tooFar = query([{ id: 'a', shifts: day('09:00', '12:00'), busy: [], origin: customer }], {
      now: at('2026-11-20T09:00'),
      rules: { ...rules, maxDaysAhead: 5 },
    });
    expect(sut(tooFar)).toEqual([]);
  });

  it('never offers a technician whose position is unknown', () => {
    expect(sut(query([{ id: 'a', shifts: day('09:00', '12:00'), busy: [], origin: null }]))).toEqual([]);
  });

  it('unions technicians for "any technician" and names who is free', () => {
    const q = query([
      { id: 'a', shifts: day('09:00', '11:00'), busy: [], origin: customer },
      { id: 'b', shifts: day('10:00', '12:00'), busy: [], origin: customer },
    ]);
    expect(sut(q).map((s) => [hhmm(s.start), s.technicianIds])).toEqual([
      ['09:30', ['a']],
      ['10:00', ['a']],
      ['10:30', ['b']],
      ['11:00', ['b']],
    ]);
  });

  it('keeps the grid on local wall-clock time across a DST change (Europe/Berlin, 2026-03-29)', () => {
    const berlin = 'Europe/Berlin';
    const q = query(
      [
        {
          id: 'a',
          shifts: [{ start: at('2026-03-29T01:00', berlin), end: at('2026-03-29T05:00', berlin) }],
          busy: [],
          origin: customer,
        },
      ],
      {
        zone: berlin,
        now: at('2026-03-28T12:00', berlin),
        from: at('2026-03-29T00:00', berlin),
        to: at('2026-03-30T00:00', berlin),
        rules: { ...rules, gridMinutes: 60, leadTimeMinutes: 0 },
      },
    );
    // 02:00 does not exist that night; 01:00 is too early (10 min overhead), then 03:00 and 04:00.
    expect(sut(q).map((s) => DateTime.fromMillis(s.start, { zone: berlin }).toISO())).toEqual([
      '2026-03-29T03:00:00.000+02:00',
      '2026-03-29T04:00:00.000+02:00',
    ]);
  });
});

// ---- property tests against an independent brute-force oracle ---------------------------------

const H = 60;
// A failing oracle run is slow to shrink; stop after a while and report what was found.
const RUNS = { numRuns: 200, interruptAfterTimeLimit: 30_000, markInterruptAsFailure: true };
/** Whole minutes on or after `base`; the oracle works minute by minute. */
const scenario = fc
  .record({
    zone: fc.constantFrom('Asia/Shanghai', 'Europe/Berlin', 'UTC', 'Asia/Kathmandu'),
    date: fc.constantFrom('2026-11-25', '2026-03-28', '2026-10-24'),
    nowMin: fc.integer({ min: 0, max: 24 * H }),
    fromMin: fc.integer({ min: 0, max: 36 * H }),
    spanMin: fc.integer({ min: 0, max: 36 * H }),
    gridMinutes: fc.constantFrom(15, 20, 30, 60),
    leadTimeMinutes: fc.integer({ min: 0, max: 240 }),
    maxDaysAhead: fc.integer({ min: 0, max: 3 }),
    bufferMinutes: fc.integer({ min: 0, max: 12 }).map((n) => n * 5),
    roadFactor: fc.double({ min: 1, max: 2, noNaN: true }),
    speedKmh: fc.integer({ min: 8, max: 60 }),
    overheadMinutes: fc.integer({ min: 0, max: 30 }),
    // Or a fixed overhead in quarter hours: arrivals then land exactly on grid starts.
    noTravel: fc.boolean(),
    quarterOverhead: fc.constantFrom(0, 15, 30),
    durationMinutes: fc.constantFrom(30, 45, 60, 90, 120),
    customer: point(),
    technicians: fc.array(technician(), { minLength: 1, maxLength: 3 }),
  })
  .map((s) => {
    const base = DateTime.fromISO(s.date, { zone: s.zone }).toMillis();
    const from = base + s.fromMin * MIN;
    const q: AvailabilityQuery = {
      zone: s.zone,
      now: base + s.nowMin * MIN,
      from,
      to: from + s.spanMin * MIN,
      durationMinutes: s.durationMinutes,
      customer: s.customer,
      rules: {
        gridMinutes: s.gridMinutes,
        leadTimeMinutes: s.leadTimeMinutes,
        maxDaysAhead: s.maxDaysAhead,
        bufferMinutes: s.bufferMinutes,
        eta: s.noTravel
          ? { roadFactor: 0, speedKmh: 1, overheadMinutes: s.quarterOverhead }
          : { roadFactor: s.roadFactor, speedKmh: s.speedKmh, overheadMinutes: s.overheadMinutes },
      },
      technicians: s.technicians.map((t, i) => ({
        id: `t${i}`,
        origin: t.origin,
        shifts: t.shifts.map(([start, len]) => ({ start: base + start * MIN, end: base + (start + len) * MIN })),
        // Busy intervals were generated relative to 0 and in order; move them next to the
        // scenario, and hand some technicians theirs out of order.
        busy: (t.reversed ? [...t.busy].reverse() : t.busy).map((b) => ({
          ...b,
          start: b.start + base,
          end: b.end + base,
        })),
      })),
    };
    return { q, domain: [base - 2 * 24 * H * MIN, base + 6 * 24 * H * MIN] as const };
  });

function quarters(min: number, max: number) {
  return fc.integer({ min: min / 15, max: max / 15 }).map((n) => n * 15);
}

function point() {
  return fc.record({
    lat: fc.double({ min: 31.1, max: 31.4, noNaN: true }),
    lng: fc.double({ min: 121.3, max: 121.7, noNaN: true }),
  });
}

function technician() {
  return fc.record({
    origin: fc.option(point(), { freq: 8 }),
    reversed: fc.boolean(),
    // [start minute, length] relative to the scenario's base; often overlapping or touching.
    // Quarter hours, so boundaries often coincide exactly (a job ending at the shift start etc.).
    shifts: fc.array(fc.tuple(quarters(-12 * H, 60 * H), quarters(30, 12 * H)), { maxLength: 5 }),
    // Disjoint busy time, as the EXCLUDE constraint guarantees: gaps and lengths laid end to end.
    busy: fc
      .array(
        fc.record({
          gap: quarters(0, 8 * H),
          len: quarters(15, 3 * H),
          location: fc.option(point(), { freq: 4 }),
        }),
        { maxLength: 8 },
      )
      .map((parts) => {
        let cursor = -6 * H;
        return parts.map((p) => {
          const start = cursor + p.gap;
          cursor = start + p.len;
          return { start: start * MIN, end: cursor * MIN, location: p.location };
        });
      }),
  });
}

describe('computeAvailability (properties)', () => {
  it('offers no slot that breaks a rule (shift, lead time, window, busy + buffer, ETA)', () => {
    fc.assert(
      fc.property(scenario, ({ q, domain }) => {
        const oracle = new AvailabilityOracle(q, domain[0], domain[1]);
        for (const slot of sut(q)) {
          for (const id of slot.technicianIds) {
            const tech = q.technicians.find((t) => t.id === id)!;
            expect({ at: new Date(slot.start).toISOString(), id, broken: oracle.violations(slot.start, tech) }).toEqual(
              { at: new Date(slot.start).toISOString(), id, broken: [] },
            );
          }
        }
      }),
      RUNS,
    );
  });

  it('offers every grid slot that meets all rules, for exactly the technicians who can take it', () => {
    fc.assert(
      fc.property(scenario, ({ q, domain }) => {
        const oracle = new AvailabilityOracle(q, domain[0], domain[1]);
        const expected = new Map<number, string[]>();
        for (const t of oracle.gridCandidates()) {
          const ids = q.technicians.filter((tech) => oracle.violations(t, tech).length === 0).map((x) => x.id);
          if (ids.length) expected.set(t, ids);
        }
        const slots = sut(q);
        const actual = new Map(slots.map((s) => [s.start, s.technicianIds]));
        expect(actual).toEqual(expected);
        // each start once, in order (the map above would hide a duplicate)
        expect(slots.map((s) => s.start)).toEqual([...actual.keys()].sort((a, b) => a - b));
      }),
      RUNS,
    );
  });

  it('finds slots at all in a typical generated day (the generator is not vacuous)', () => {
    let offered = 0;
    fc.assert(
      fc.property(scenario, ({ q }) => {
        offered += sut(q).length;
      }),
      { numRuns: 200 },
    );
    expect(offered).toBeGreaterThan(50);
  });
});

/**
 * A deliberately naive restatement of the availability rules, used only by the property tests as
 * an oracle for availability-engine.ts. It shares nothing with the engine except the ETA formula:
 * working time is a per-minute bitmap instead of merged intervals, every busy interval is scanned
 * instead of binary-searched, and grid starts are found minute by minute. Inputs must be on whole
 * minutes.
 */
export type Rule = 'grid' | 'window' | 'lead' | 'daysAhead' | 'shift' | 'busy' | 'arrive' | 'leave';

export class AvailabilityOracle {
  private readonly origin: number;
  private readonly covered: Map<string, Uint8Array>;

  constructor(
    private readonly q: AvailabilityQuery,
    /** All instants the test may ask about lie in [domainStart, domainEnd). */
    domainStart: number,
    domainEnd: number,
  ) {
    this.origin = domainStart;
    const minutes = Math.ceil((domainEnd - domainStart) / MINUTE_MS);
    this.covered = new Map(
      q.technicians.map((t) => {
        const map = new Uint8Array(minutes);
        for (const s of t.shifts) {
          for (let m = s.start; m < s.end; m += MINUTE_MS) {
            const idx = (m - domainStart) / MINUTE_MS;
            if (idx >= 0 && idx < minutes) map[idx] = 1;
          }
        }
        return [t.id, map];
      }),
    );
  }

  /** Every minute-aligned instant in [from, to) that lies on the store's grid. */
  gridCandidates(): number[] {
    const out: number[] = [];
    const first = Math.ceil(this.q.from / MINUTE_MS) * MINUTE_MS;
    for (let t = first; t < this.q.to; t += MINUTE_MS) {
      // Shortcut only for speed: every zone and grid used here is a multiple of 5 minutes, so a
      // grid start is always on a UTC minute divisible by 5.
      if ((t / MINUTE_MS) % 5 !== 0) continue;
      if (this.violations(t, null).length === 0) out.push(t);
    }
    return out;
  }

  /** The rules start time `t` breaks for technician `tech` (or only the store-wide ones for null). */
  violations(t: number, tech: TechnicianDay | null): Rule[] {
    const q = this.q;
    const bad: Rule[] = [];
    const local = DateTime.fromMillis(t, { zone: q.zone });
    const minuteOfDay = Math.round((t - local.startOf('day').toMillis()) / MINUTE_MS);
    if (minuteOfDay % q.rules.gridMinutes !== 0) bad.push('grid');
    if (t < q.from || t >= q.to) bad.push('window');
    if (t < q.now + q.rules.leadTimeMinutes * MINUTE_MS) bad.push('lead');
    const lastDate = DateTime.fromMillis(q.now, { zone: q.zone }).plus({ days: q.rules.maxDaysAhead }).toISODate()!;
    if (local.toISODate()! > lastDate) bad.push('daysAhead');
    if (!tech) return bad;

    const end = t + q.durationMinutes * MINUTE_MS;
    const buffer = q.rules.bufferMinutes * MINUTE_MS;
    const map = this.covered.get(tech.id)!;
    const isCovered = (ms: number) => map[(ms - this.origin) / MINUTE_MS] === 1;
    let inShift = true;
    for (let m = t; m < end; m += MINUTE_MS) if (!isCovered(m)) inShift = false;
    if (!inShift) {
      bad.push('shift');
      return bad;
    }
    let blockStart = t;
    while (isCovered(blockStart - MINUTE_MS)) blockStart -= MINUTE_MS;

    if (tech.busy.some((b) => t - buffer < b.end && b.start < end + buffer)) bad.push('busy');

    const eta = (a: LatLng, b: LatLng) => etaMinutes(a, b, q.rules.eta) * MINUTE_MS;
    const before = tech.busy.filter((b) => b.end <= t);
    const prev = before.length ? before.reduce((a, b) => (b.end > a.end ? b : a)) : undefined;
    if (prev && prev.end >= blockStart) {
      const from = prev.location ?? tech.origin;
      if (!from || prev.end + buffer + eta(from, q.customer) > t) bad.push('arrive');
    } else if (!tech.origin || blockStart + eta(tech.origin, q.customer) > t) {
      bad.push('arrive');
    }

    const after = tech.busy.filter((b) => b.start >= end);
    const next = after.length ? after.reduce((a, b) => (b.start < a.start ? b : a)) : undefined;
    if (next?.location && end + buffer + eta(q.customer, next.location) > next.start) bad.push('leave');
    return bad;
  }
}
