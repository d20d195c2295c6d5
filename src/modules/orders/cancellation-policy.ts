/**
 * Pure cancellation policy of a store. Money in integer fen.
 *
 * - Free (fee 0) while the cancellation happens more than `freeCancelMinutes` before the start.
 * - Inside that window the fee is the percentage of the narrowest fee step that contains the
 *   time left: with steps [{120, 20 %}, {30, 50 %}] a cancellation 45 min before costs 20 %,
 *   10 min before 50 %. Inside the free window but outside every step → free.
 * - At or after the start (no-show handling) the widest-percentage step applies, and 100 % when
 *   there are no steps at all.
 * - When the technician had already departed, `technicianSharePct` of the fee is theirs (the rest
 *   is the store's); before departure the technician gets nothing.
 * - The fee is rounded down to whole fen (in the customer's favour) and never exceeds what was paid.
 */

export interface FeeStep {
  withinMinutes: number;
  feePercent: number;
}

export interface CancellationPolicy {
  freeCancelMinutes: number;
  fees: readonly FeeStep[];
  technicianSharePct: number;
}

export interface CancellationInput {
  policy: CancellationPolicy;
  startAt: Date;
  now: Date;
  paidFen: number;
  technicianDeparted: boolean;
}

export interface CancellationOutcome {
  minutesBeforeStart: number;
  feePercent: number;
  feeFen: number;
  refundFen: number;
  technicianShareFen: number;
  storeShareFen: number;
}

export function cancellationOutcome(input: CancellationInput): CancellationOutcome {
  const { policy, paidFen } = input;
  const minutesBeforeStart = Math.floor((input.startAt.getTime() - input.now.getTime()) / 60_000);
  const feePercent = feePercentAt(policy, minutesBeforeStart);
  const feeFen = Math.min(paidFen, Math.floor((paidFen * feePercent) / 100));
  const technicianShareFen = input.technicianDeparted ? Math.floor((feeFen * policy.technicianSharePct) / 100) : 0;
  return {
    minutesBeforeStart,
    feePercent,
    feeFen,
    refundFen: paidFen - feeFen,
    technicianShareFen,
    storeShareFen: feeFen - technicianShareFen,
  };
}

export function feePercentAt(policy: CancellationPolicy, minutesBeforeStart: number): number {
  if (minutesBeforeStart <= 0) {
    return policy.fees.length === 0 ? 100 : Math.max(...policy.fees.map((f) => f.feePercent));
  }
  if (minutesBeforeStart > policy.freeCancelMinutes) return 0;
  const applicable = policy.fees.filter((f) => minutesBeforeStart <= f.withinMinutes);
  if (applicable.length === 0) return 0;
  // the narrowest window that still contains the time left
  return applicable.reduce((a, b) => (b.withinMinutes < a.withinMinutes ? b : a)).feePercent;
}

/** Reads the stored JSON of `order_settings.cancellation_fees`, dropping malformed steps. */
export function parseFeeSteps(json: unknown): FeeStep[] {
  if (!Array.isArray(json)) return [];
  return json.flatMap((raw: unknown) => {
    const s = raw as Partial<FeeStep> | null;
    const ok =
      s !== null &&
      Number.isInteger(s.withinMinutes) &&
      (s.withinMinutes as number) > 0 &&
      Number.isInteger(s.feePercent) &&
      (s.feePercent as number) >= 0 &&
      (s.feePercent as number) <= 100;
    return ok ? [{ withinMinutes: s.withinMinutes as number, feePercent: s.feePercent as number }] : [];
  });
}
