import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  isNight,
  quote,
  QuoteError,
  travelFee,
  type QuoteAddon,
  type QuoteAdjustment,
  type QuoteInput,
  type QuoteLine,
  type TravelFeeRules,
} from './price-quote';

const service = {
  id: 'svc-1',
  name: '中医推拿',
  durations: [
    { minutes: 60, priceFen: 19800 },
    { minutes: 90, priceFen: 26800 },
  ],
};
const extension: QuoteAddon = {
  id: 'ext',
  serviceId: null,
  kind: 'extension',
  name: '推拿',
  minutes: 30,
  priceFen: 9900,
  maxQuantity: 4,
};
const oil: QuoteAddon = {
  id: 'oil',
  serviceId: 'svc-1',
  kind: 'material',
  name: '精油',
  minutes: null,
  priceFen: 3000,
  maxQuantity: 2,
};
const rules: TravelFeeRules = {
  freeRadiusM: 3000,
  pricePerKmFen: 200,
  night: { startMinute: 22 * 60, endMinute: 6 * 60, surchargeFen: 5000 },
  minimumOrderFen: 0,
};
// 2026-11-25 14:00 in Shanghai (UTC+8, no DST)
const AFTERNOON = new Date('2026-11-25T06:00:00Z');

const input = (over: Partial<QuoteInput> = {}): QuoteInput => ({
  service,
  durationMinutes: 60,
  addons: [],
  distanceMeters: 0,
  startAt: AFTERNOON,
  timezone: 'Asia/Shanghai',
  rules,
  ...over,
});
const shanghai = (hhmm: string) => new Date(`2026-11-25T${hhmm}:00+08:00`);
const kinds = (lines: QuoteLine[]) => lines.map((l) => l.kind);

function expectQuoteError(fn: () => unknown, code: string, field: string) {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(QuoteError);
    expect(err).toMatchObject({ code, field });
    return;
  }
  throw new Error('expected a QuoteError');
}

describe('quote: service and duration', () => {
  it('prices the chosen duration', () => {
    const sut = quote(input({ durationMinutes: 90 }));
    expect(sut.lines).toEqual([
      { kind: 'service', code: 'svc-1', label: '中医推拿 90分钟', quantity: 1, unitFen: 26800, amountFen: 26800 },
    ]);
    expect(sut).toMatchObject({ subtotalFen: 26800, totalFen: 26800, totalMinutes: 90, adjustmentsFen: 0 });
  });

  it('rejects a duration the service does not offer, naming durationMinutes', () => {
    expectQuoteError(() => quote(input({ durationMinutes: 75 })), 'DURATION_NOT_OFFERED', 'durationMinutes');
    expectQuoteError(
      () => quote(input({ service: { ...service, durations: [] } })),
      'DURATION_NOT_OFFERED',
      'durationMinutes',
    );
  });

  it('allows a free (zero-price) service', () => {
    const sut = quote(input({ service: { ...service, durations: [{ minutes: 60, priceFen: 0 }] } }));
    expect(sut.totalFen).toBe(0);
  });
});

describe('quote: add-ons', () => {
  it('adds extensions (time and money) and materials (money only) by quantity', () => {
    const sut = quote(
      input({
        addons: [
          { addon: extension, quantity: 2 },
          { addon: oil, quantity: 1 },
        ],
      }),
    );
    expect(sut.lines.slice(1).map((l) => [l.code, l.quantity, l.amountFen])).toEqual([
      ['ext', 2, 19800],
      ['oil', 1, 3000],
    ]);
    expect(sut.totalMinutes).toBe(60 + 60);
    expect(sut.totalFen).toBe(19800 + 19800 + 3000);
  });

  it('accepts the maximum quantity and refuses one more, zero, or fractions', () => {
    expect(quote(input({ addons: [{ addon: extension, quantity: 4 }] })).totalMinutes).toBe(180);
    for (const quantity of [5, 0, -1, 1.5]) {
      expectQuoteError(
        () => quote(input({ addons: [{ addon: extension, quantity }] })),
        'ADDON_QUANTITY_OUT_OF_RANGE',
        'addons.0.quantity',
      );
    }
  });

  it('refuses an add-on of another service and the same add-on twice', () => {
    const other = { ...oil, serviceId: 'svc-2' };
    expectQuoteError(
      () => quote(input({ addons: [{ addon: other, quantity: 1 }] })),
      'ADDON_NOT_AVAILABLE',
      'addons.0',
    );
    expectQuoteError(
      () =>
        quote(
          input({
            addons: [
              { addon: oil, quantity: 1 },
              { addon: oil, quantity: 1 },
            ],
          }),
        ),
      'ADDON_NOT_AVAILABLE',
      'addons.1',
    );
  });
});

describe('quote: travel fee', () => {
  it('is free up to and exactly on the free radius', () => {
    expect(travelFee(0, rules)).toBe(0);
    expect(travelFee(3000, rules)).toBe(0);
    expect(kinds(quote(input({ distanceMeters: 3000 })).lines)).not.toContain('travel');
  });

  it('charges every started kilometre beyond the radius', () => {
    expect(travelFee(3001, rules)).toBe(200);
    expect(travelFee(4000, rules)).toBe(200);
    expect(travelFee(4001, rules)).toBe(400);
    const sut = quote(input({ distanceMeters: 7500 }));
    expect(sut.lines.find((l) => l.kind === 'travel')).toMatchObject({ quantity: 5, unitFen: 200, amountFen: 1000 });
    expect(travelFee(10_000, { freeRadiusM: 0, pricePerKmFen: 0 })).toBe(0);
  });

  it('refuses a negative or non-finite distance', () => {
    expectQuoteError(() => quote(input({ distanceMeters: -1 })), 'INVALID_DISTANCE', 'distanceMeters');
    expectQuoteError(() => quote(input({ distanceMeters: Number.NaN })), 'INVALID_DISTANCE', 'distanceMeters');
  });
});

describe('quote: night surcharge', () => {
  const w = { startMinute: 22 * 60, endMinute: 6 * 60 };

  it('covers [22:00, 06:00) across midnight, in the store timezone', () => {
    expect(isNight(shanghai('21:59'), 'Asia/Shanghai', w)).toBe(false);
    expect(isNight(shanghai('22:00'), 'Asia/Shanghai', w)).toBe(true);
    expect(isNight(shanghai('23:59'), 'Asia/Shanghai', w)).toBe(true);
    expect(isNight(shanghai('00:00'), 'Asia/Shanghai', w)).toBe(true);
    expect(isNight(shanghai('05:59'), 'Asia/Shanghai', w)).toBe(true);
    expect(isNight(shanghai('06:00'), 'Asia/Shanghai', w)).toBe(false);
  });

  it('handles a window that does not cross midnight', () => {
    const noon = { startMinute: 12 * 60, endMinute: 14 * 60 };
    expect(isNight(shanghai('11:59'), 'Asia/Shanghai', noon)).toBe(false);
    expect(isNight(shanghai('12:00'), 'Asia/Shanghai', noon)).toBe(true);
    expect(isNight(shanghai('14:00'), 'Asia/Shanghai', noon)).toBe(false);
  });

  it('reads the clock of the store, not of the server or of Shanghai', () => {
    // 02:30 UTC on 1 July = 22:30 in New York (EDT, UTC−4) but 10:30 in Shanghai
    const at = new Date('2026-07-01T02:30:00Z');
    expect(isNight(at, 'America/New_York', w)).toBe(true);
    expect(isNight(at, 'Asia/Shanghai', w)).toBe(false);
    // the same wall time in winter (EST, UTC−5) is an hour later in UTC
    expect(isNight(new Date('2026-01-15T03:00:00Z'), 'America/New_York', w)).toBe(true);
    expect(isNight(new Date('2026-01-15T02:59:00Z'), 'America/New_York', w)).toBe(false);
  });

  it('adds the surcharge line only at night, and refuses an unknown timezone', () => {
    const night = quote(input({ startAt: shanghai('23:30') }));
    expect(night.nightSurchargeApplied).toBe(true);
    expect(night.lines.find((l) => l.kind === 'night')?.amountFen).toBe(5000);
    expect(kinds(quote(input()).lines)).not.toContain('night');
    expect(kinds(quote(input({ startAt: shanghai('23:30'), rules: { ...rules, night: null } })).lines)).toEqual([
      'service',
    ]);
    expectQuoteError(() => quote(input({ timezone: 'Mars/Olympus' })), 'INVALID_TIMEZONE', 'timezone');
  });

  it('reads the store clock exactly as luxon did, in any zone and across DST changes', () => {
    const luxonIsNight = (at: Date, zone: string, win: { startMinute: number; endMinute: number }) => {
      const local = DateTime.fromJSDate(at, { zone });
      if (!local.isValid) return 'invalid';
      const m = local.hour * 60 + local.minute;
      return win.startMinute < win.endMinute
        ? m >= win.startMinute && m < win.endMinute
        : m >= win.startMinute || m < win.endMinute;
    };
    const zones = ['Asia/Shanghai', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu'];
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2032-12-31T00:00:00Z') }),
        fc.constantFrom(...zones, 'Mars/Olympus'),
        fc.integer({ min: 0, max: 1439 }),
        fc.integer({ min: 0, max: 1439 }),
        (at, zone, startMinute, endMinute) => {
          const win = { startMinute, endMinute };
          let actual: boolean | 'invalid';
          try {
            actual = isNight(at, zone, win);
          } catch (e) {
            expect(e).toBeInstanceOf(QuoteError);
            actual = 'invalid';
          }
          expect(actual).toBe(luxonIsNight(at, zone, win));
        },
      ),
      { numRuns: 5_000 },
    );
  });
});

describe('quote: minimum order', () => {
  const withMin = (minimumOrderFen: number) => ({ ...rules, minimumOrderFen });

  it('tops up what is served to the minimum; travel and night fees do not count', () => {
    const sut = quote(input({ rules: withMin(25000), distanceMeters: 5000, startAt: shanghai('23:00') }));
    expect(sut.lines.find((l) => l.kind === 'minimum_topup')?.amountFen).toBe(25000 - 19800);
    expect(sut.totalFen).toBe(25000 + 400 + 5000);
  });

  it('adds nothing when the minimum is met exactly', () => {
    expect(kinds(quote(input({ rules: withMin(19800) })).lines)).toEqual(['service']);
  });
});

describe('quote: adjustment hooks', () => {
  const noop: QuoteAdjustment = () => [];
  const percentOff =
    (pct: number): QuoteAdjustment =>
    ({ runningTotalFen }) => [
      {
        kind: 'adjustment',
        code: `member-${pct}`,
        label: '会员折扣',
        quantity: 1,
        unitFen: 0,
        amountFen: -Math.floor((runningTotalFen * pct) / 100),
      },
    ];
  const coupon =
    (fen: number): QuoteAdjustment =>
    () => [{ kind: 'adjustment', code: 'coupon', label: '优惠券', quantity: 1, unitFen: -fen, amountFen: -fen }];

  it('leaves the quote alone when the hooks are no-ops', () => {
    expect(quote(input({ adjustments: [noop, noop] }))).toEqual(quote(input()));
  });

  it('runs hooks in order on the running total', () => {
    const a = quote(input({ adjustments: [percentOff(10), coupon(1000)] }));
    const b = quote(input({ adjustments: [coupon(1000), percentOff(10)] }));
    expect(a.totalFen).toBe(19800 - 1980 - 1000);
    expect(b.totalFen).toBe(19800 - 1000 - 1880);
    expect(a.adjustmentsFen).toBe(-2980);
  });

  it('lets a hook see the lines before it', () => {
    const seen: number[] = [];
    const spy: QuoteAdjustment = (d) => {
      seen.push(d.lines.length);
      return [];
    };
    quote(input({ adjustments: [coupon(1), spy] }));
    expect(seen).toEqual([2]);
  });

  it('never goes below zero: a discount is cut to what is left', () => {
    const sut = quote(input({ adjustments: [coupon(50_000), coupon(100)] }));
    expect(sut.totalFen).toBe(0);
    expect(sut.lines.filter((l) => l.kind === 'adjustment').map((l) => l.amountFen)).toEqual([-19800, 0]);
  });
});

describe('quote: properties', () => {
  const arb = fc.record({
    duration: fc.constantFrom(60, 90),
    ext: fc.integer({ min: 0, max: 4 }),
    distance: fc.integer({ min: 0, max: 100_000 }),
    extra: fc.integer({ min: 0, max: 100_000 }),
    at: fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true }),
    minimum: fc.integer({ min: 0, max: 100_000 }),
    discounts: fc.array(fc.integer({ min: -100_000, max: 50_000 }), { maxLength: 4 }),
    zone: fc.constantFrom('Asia/Shanghai', 'America/New_York', 'Europe/London', 'Australia/Sydney'),
  });
  type P = typeof arb extends fc.Arbitrary<infer T> ? T : never;
  const build = (p: P, distance: number) =>
    quote(
      input({
        durationMinutes: p.duration,
        addons: p.ext > 0 ? [{ addon: extension, quantity: p.ext }] : [],
        distanceMeters: distance,
        startAt: p.at,
        timezone: p.zone,
        rules: { ...rules, minimumOrderFen: p.minimum },
        adjustments: p.discounts.map((fen): QuoteAdjustment => () => [
          { kind: 'adjustment', code: 'x', label: 'x', quantity: 1, unitFen: fen, amountFen: fen },
        ]),
      }),
    );

  it('total = sum of lines, integer fen, never negative', () => {
    fc.assert(
      fc.property(arb, (p) => {
        const q = build(p, p.distance);
        expect(q.totalFen).toBe(q.lines.reduce((s, l) => s + l.amountFen, 0));
        expect(Number.isInteger(q.totalFen)).toBe(true);
        expect(q.totalFen).toBeGreaterThanOrEqual(0);
        expect(q.subtotalFen + q.adjustmentsFen).toBe(q.totalFen);
      }),
    );
  });

  it('the subtotal never decreases as the distance grows', () => {
    fc.assert(
      fc.property(arb, (p) => {
        expect(build(p, p.distance + p.extra).subtotalFen).toBeGreaterThanOrEqual(build(p, p.distance).subtotalFen);
        expect(travelFee(p.distance + p.extra, rules)).toBeGreaterThanOrEqual(travelFee(p.distance, rules));
      }),
    );
  });
});
