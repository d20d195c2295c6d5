/**
 * Order timers on BullMQ. Each is a delayed job with a deterministic id (one per order and due
 * time), so enqueueing twice — a retry, a restart, a second producer — schedules it once. The
 * handler re-reads the order under its row lock and does nothing when the order has moved on, so
 * a timer that fires twice (or after the order was paid) changes nothing.
 */
export interface OrderTimerPayload {
  tenantId: string;
  orderId: string;
}

export const ORDER_TIMER_JOBS = {
  unpaidTimeout: 'order.unpaid_timeout',
  startReminder: 'order.start_reminder',
  overrunCheck: 'order.overrun_check',
} as const;

export const ORDER_TIMERS_QUEUE = 'order-timers';

/** `order-unpaid-<orderId>-<dueMs>`: a new due time (a rescheduled timer) gets a new id. */
export function timerJobId(kind: 'unpaid' | 'reminder' | 'overrun', orderId: string, dueAt: Date): string {
  return `order-${kind}-${orderId}-${dueAt.getTime()}`;
}
