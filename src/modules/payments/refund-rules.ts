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
