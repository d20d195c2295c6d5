import { wallTime } from '../../platform/time/zoned-time';

/**
 * Pure price quote for one booking, all money in integer fen (1 yuan = 100 fen).
 *
 * Order of lines: service (chosen duration) → add-ons → travel fee → night surcharge →
 * minimum-order top-up → adjustments (member discount, coupon, points; filled in by later issues).
 *
 * Rules, stated once:
 * - Travel fee: nothing within `freeRadiusM` (a distance exactly on the radius is free); beyond
 *   it, every started kilometre is charged: ceil((distance − radius) / 1000) × pricePerKmFen.
 *   So 1 m beyond costs one kilometre; the fee never decreases as the distance grows.
 * - Night surcharge: when the start time, read in the STORE's timezone, lies in
 *   [start, end) of the night window; a window with start > end crosses midnight
 *   (22:00–06:00 covers 22:00…23:59 and 00:00…05:59).
 * - Minimum order: applies to what is served (service + add-ons); when that is below the
 *   minimum a `minimum_topup` line makes up the difference (we top up rather than reject, so a
 *   customer can still book a cheap service, and the store still gets its minimum). Travel fee
 *   and night surcharge do not count towards it, and adjustments come after it.
 * - Adjustments run in the given order on the running total; an adjustment line that would
 *   take the total below zero is cut to exactly what is left, so a total is never negative.
 */

export interface QuoteDuration {
  minutes: number;
  priceFen: number;
}

export interface QuoteService {
  id: string;
  name: string;
  durations: readonly QuoteDuration[];
}

export interface QuoteAddon {
  id: string;
  /** null = store-wide (offered with every service) */
  serviceId: string | null;
  kind: 'extension' | 'material';
  name: string;
  /** minutes per unit for an extension (加钟); null for materials */
  minutes: number | null;
  priceFen: number;
  maxQuantity: number;
}

export interface TravelFeeRules {
  freeRadiusM: number;
  pricePerKmFen: number;
  /** minutes of the local day; null = no night surcharge */
  night: { startMinute: number; endMinute: number; surchargeFen: number } | null;
  minimumOrderFen: number;
}

export type QuoteLineKind = 'service' | 'addon' | 'travel' | 'night' | 'minimum_topup' | 'adjustment';

export interface QuoteLine {
  kind: QuoteLineKind;
  /** stable code for the UI and for orders: service id, add-on id, `travel`, coupon code … */
  code: string;
  label: string;
  quantity: number;
  unitFen: number;
  amountFen: number;
}

/** What an adjustment hook sees: the input and the lines so far (read-only). */
export interface QuoteDraft {
  readonly input: QuoteInput;
  readonly lines: readonly QuoteLine[];
  readonly runningTotalFen: number;
}

/**
 * A member discount, coupon or points redemption: returns the lines it adds (usually negative
 * amounts), or none. Hooks run in list order, each seeing the lines of those before it.
 */
export type QuoteAdjustment = (draft: QuoteDraft) => readonly QuoteLine[];

export interface QuoteInput {
  service: QuoteService;
  durationMinutes: number;
  addons: readonly { addon: QuoteAddon; quantity: number }[];
  distanceMeters: number;
  startAt: Date;
  /** the store's IANA timezone, e.g. Asia/Shanghai */
  timezone: string;
  rules: TravelFeeRules;
  adjustments?: readonly QuoteAdjustment[];
}

export interface Quote {
  lines: QuoteLine[];
  /** before adjustments */
  subtotalFen: number;
  /** sum of adjustment lines (≤ 0 for discounts) */
  adjustmentsFen: number;
  totalFen: number;
  /** service time including extensions */
  totalMinutes: number;
  nightSurchargeApplied: boolean;
}

export type QuoteErrorCode =
  | 'DURATION_NOT_OFFERED'
  | 'ADDON_NOT_AVAILABLE'
  | 'ADDON_QUANTITY_OUT_OF_RANGE'
  | 'INVALID_DISTANCE'
  | 'INVALID_TIMEZONE';

/** A quote that cannot be made; `field` names the input at fault (the API answers 400 with it). */
export class QuoteError extends Error {
  constructor(
    readonly code: QuoteErrorCode,
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'QuoteError';
  }
}

export function quote(input: QuoteInput): Quote {
  const { service, rules } = input;
  const duration = service.durations.find((d) => d.minutes === input.durationMinutes);
  if (!duration) {
    const offered = service.durations.map((d) => d.minutes).join(', ');
    throw new QuoteError(
      'DURATION_NOT_OFFERED',
      'durationMinutes',
      `${input.durationMinutes} min is not offered for this service (offered: ${offered || 'none'})`,
    );
  }
  if (!Number.isFinite(input.distanceMeters) || input.distanceMeters < 0) {
    throw new QuoteError('INVALID_DISTANCE', 'distanceMeters', 'distance must be a non-negative number of metres');
  }

  const lines: QuoteLine[] = [
    line('service', service.id, `${service.name} ${duration.minutes}分钟`, 1, duration.priceFen),
  ];
  let totalMinutes = duration.minutes;
  const seen = new Set<string>();
  input.addons.forEach(({ addon, quantity }, i) => {
    if (seen.has(addon.id) || (addon.serviceId !== null && addon.serviceId !== service.id)) {
      throw new QuoteError('ADDON_NOT_AVAILABLE', `addons.${i}`, `add-on ${addon.name} is not available here`);
    }
    seen.add(addon.id);
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > addon.maxQuantity) {
      throw new QuoteError(
        'ADDON_QUANTITY_OUT_OF_RANGE',
        `addons.${i}.quantity`,
        `quantity of ${addon.name} must be 1…${addon.maxQuantity}`,
      );
    }
    const label = addon.kind === 'extension' ? `加钟 ${addon.name} ${addon.minutes}分钟` : addon.name;
    lines.push(line('addon', addon.id, label, quantity, addon.priceFen));
    if (addon.kind === 'extension') totalMinutes += (addon.minutes ?? 0) * quantity;
  });
  const servedFen = sum(lines);

  const travelFen = travelFee(input.distanceMeters, rules);
  if (travelFen > 0) {
    const km = Math.ceil((input.distanceMeters - rules.freeRadiusM) / 1000);
    lines.push(line('travel', 'travel', `车费 ${km}公里`, km, rules.pricePerKmFen));
  }

  const night = rules.night !== null && isNight(input.startAt, input.timezone, rules.night);
  if (night && rules.night!.surchargeFen > 0) {
    lines.push(line('night', 'night', '夜间附加费', 1, rules.night!.surchargeFen));
  }

  if (servedFen < rules.minimumOrderFen) {
    lines.push(line('minimum_topup', 'minimum', '未达起步价补差', 1, rules.minimumOrderFen - servedFen));
  }
  const subtotalFen = sum(lines);

  let running = subtotalFen;
  for (const adjust of input.adjustments ?? []) {
    for (const proposed of adjust({ input, lines: [...lines], runningTotalFen: running })) {
      // never below zero: a discount larger than what is left is cut to what is left
      const amountFen = Math.max(Math.trunc(proposed.amountFen), -running) + 0; // + 0: no -0
      lines.push({ ...proposed, kind: 'adjustment', amountFen });
      running += amountFen;
    }
  }

  return {
    lines,
    subtotalFen,
    adjustmentsFen: running - subtotalFen,
    totalFen: running,
    totalMinutes,
    nightSurchargeApplied: night,
  };
}

/** 0 within the free radius (inclusive); each started kilometre beyond it at pricePerKmFen. */
export function travelFee(
  distanceMeters: number,
  rules: Pick<TravelFeeRules, 'freeRadiusM' | 'pricePerKmFen'>,
): number {
  const beyond = distanceMeters - rules.freeRadiusM;
  return beyond <= 0 ? 0 : Math.ceil(beyond / 1000) * rules.pricePerKmFen;
}

/** Whether `at` falls in [start, end) of the local day in `timezone`; start > end crosses midnight. */
export function isNight(at: Date, timezone: string, window: { startMinute: number; endMinute: number }): boolean {
  const local = wallTime(at, timezone);
  if (!local) throw new QuoteError('INVALID_TIMEZONE', 'timezone', `unknown timezone ${timezone}`);
  const m = local.hour * 60 + local.minute;
  const { startMinute: s, endMinute: e } = window;
  return s < e ? m >= s && m < e : m >= s || m < e;
}

function line(kind: QuoteLineKind, code: string, label: string, quantity: number, unitFen: number): QuoteLine {
  return { kind, code, label, quantity, unitFen, amountFen: quantity * unitFen };
}

function sum(lines: readonly QuoteLine[]): number {
  return lines.reduce((acc, l) => acc + l.amountFen, 0);
}
