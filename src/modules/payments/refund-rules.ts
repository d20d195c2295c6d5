import type { Actor } from '../../platform/auth/actor';

/** Order statuses from which money may go back (the order state machine's `refund` sources). */
export const REFUNDABLE_ORDER_STATUSES: readonly string[] = [
  'cancelled',
  'completed',
  'reviewed',
  'partially_refunded',
];

/** Where asking for a refund is answered by the amount check (a refunded order has 0 left → 400). */
export const REFUND_ASKABLE_ORDER_STATUSES: readonly string[] = [...REFUNDABLE_ORDER_STATUSES, 'refunded'];

/** Refund statuses that still hold part of the refundable amount. */
export const IN_FLIGHT_REFUND_STATUSES = ['requested', 'approved', 'processing'] as const;

/** What may still be refunded: paid − already refunded − refunds on their way. */
export function refundableFen(paidFen: number, refundedFen: number, inFlightFen: number): number {
  return Math.max(0, paidFen - refundedFen - inFlightFen);
}

/**
 * Within policy = executes at once. A store's owner or manager deciding a refund is the policy;
 * anyone else (a customer asking for money back after service, a front-desk staff member) waits
 * for their approval. Refunds owed by the cancellation policy come as refund requests and are
 * always within policy.
 */
export function refundWithinPolicy(actor: Pick<Actor, 'role'>): boolean {
  return actor.role === 'tenant_owner' || actor.role === 'store_manager';
}

/** How a cancellation's refund request divides what the order still holds. */
export interface RequestSplit {
  refundFen: number;
  feeFen: number;
  technicianShareFen: number;
}

/**
 * What the cancellation policy computed (refund, fee, the technician's part of the fee), capped by
 * what the order can still give: paid − refunded − other refunds on their way. A refund of this
 * request that already succeeded is inside `refundedFen`, so it is counted back in (it is part of
 * what the request uses, not on top of it) and its amount is the refund — whatever came in since.
 */
export function requestSplit(a: {
  paidFen: number;
  refundedFen: number;
  inFlightFen: number;
  request: { amountFen: number; feeFen: number; technicianShareFen: number };
  /** the request's refund, when one was already made for it */
  refund?: { amountFen: number; succeeded: boolean };
}): RequestSplit {
  const settled = a.refund?.succeeded ? a.refund.amountFen : 0;
  const available = refundableFen(a.paidFen, a.refundedFen - settled, a.inFlightFen);
  const refundFen = a.refund ? a.refund.amountFen : Math.min(a.request.amountFen, available);
  const feeFen = Math.max(0, Math.min(a.request.feeFen, available - refundFen));
  return { refundFen, feeFen, technicianShareFen: Math.min(a.request.technicianShareFen, feeFen) };
}
