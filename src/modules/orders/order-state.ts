/**
 * The order state machine — pure, the single source of truth for which status may follow which.
 * `OrderTransitions.apply` is the only code that writes `orders.status`, and it asks `transition`.
 *
 *   pending_payment ─pay→ paid ─dispatch→ dispatching ─assign→ assigned ─accept→ accepted
 *        │                 └────────────assign─────────────────┘   ↑ decline → dispatching
 *        └─confirm_unpaid (到付: pay on arrival) → dispatching | assigned
 *   assigned | accepted ─reassign (转派, another technician)→ assigned
 *   accepted ─depart→ departed ─arrive→ arrived ─start_service→ in_service ─complete→ completed ─review→ reviewed
 *   in_service ─extend→ in_service (加钟: an order_extensions row + a supplementary charge)
 *   cancel: any status before in_service → cancelled
 *   refund / refund_partial: cancelled | completed | reviewed | partially_refunded → refunded | partially_refunded
 */

export const ORDER_STATUSES = [
  'pending_payment',
  'paid',
  'dispatching',
  'assigned',
  'accepted',
  'departed',
  'arrived',
  'in_service',
  'completed',
  'reviewed',
  'cancelled',
  'refunded',
  'partially_refunded',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const ORDER_EVENTS = [
  'pay',
  'confirm_unpaid',
  'dispatch',
  'assign',
  'reassign',
  'decline',
  'accept',
  'depart',
  'arrive',
  'start_service',
  'extend',
  'complete',
  'review',
  'cancel',
  'refund',
  'refund_partial',
] as const;
export type OrderEventName = (typeof ORDER_EVENTS)[number];

/** Statuses from which an order may still be cancelled (service has not begun). */
export const CANCELLABLE: readonly OrderStatus[] = [
  'pending_payment',
  'paid',
  'dispatching',
  'assigned',
  'accepted',
  'departed',
  'arrived',
];

/** Where money has been taken and may be given back. */
const REFUNDABLE: readonly OrderStatus[] = ['cancelled', 'completed', 'reviewed', 'partially_refunded'];

/** Legal moves: event → from-status → to-status. `confirm_unpaid` depends on a technician being chosen. */
const TABLE: Readonly<Record<OrderEventName, Partial<Record<OrderStatus, OrderStatus>>>> = {
  pay: { pending_payment: 'paid' },
  confirm_unpaid: { pending_payment: 'dispatching' },
  dispatch: { paid: 'dispatching' },
  assign: { paid: 'assigned', dispatching: 'assigned' },
  // 转派: staff hand the order to another technician, who has yet to accept it
  reassign: { assigned: 'assigned', accepted: 'assigned' },
  decline: { assigned: 'dispatching' },
  accept: { assigned: 'accepted' },
  depart: { accepted: 'departed' },
  arrive: { departed: 'arrived' },
  start_service: { arrived: 'in_service' },
  extend: { in_service: 'in_service' },
  complete: { in_service: 'completed' },
  review: { completed: 'reviewed' },
  cancel: Object.fromEntries(CANCELLABLE.map((s) => [s, 'cancelled'])),
  refund: Object.fromEntries(REFUNDABLE.map((s) => [s, 'refunded'])),
  refund_partial: Object.fromEntries(REFUNDABLE.map((s) => [s, 'partially_refunded'])),
};

export interface TransitionContext {
  /** A technician was chosen at booking (busy time already held). */
  technicianChosen?: boolean;
}

/** The status after `event`, or null when the move is illegal. */
export function transition(from: OrderStatus, event: OrderEventName, ctx: TransitionContext = {}): OrderStatus | null {
  const to = TABLE[event][from] ?? null;
  if (to !== null && event === 'confirm_unpaid' && ctx.technicianChosen) return 'assigned';
  return to;
}

export function isOrderStatus(s: string): s is OrderStatus {
  return (ORDER_STATUSES as readonly string[]).includes(s);
}
