import type { NotificationChannel, Recipient } from './notification-recipient';
import type { NotificationTemplateName, NotificationTemplates } from './notification-templates';

/** One status change as OrderTransitions.apply wrote it. */
export interface OrderChange {
  event: string;
  from: string;
  to: string;
  details: Record<string, unknown>;
}

/** What the notices of an order may mention (nothing the recipient may not see). */
export interface OrderFacts {
  orderNo: string;
  customerId: string;
  technicianId: string | null;
  technicianName: string | null;
  serviceName: string;
  startAt: Date;
  timeZone: string;
  refundedFen: number;
}

export type PlannedNotice = {
  [N in NotificationTemplateName]: {
    to: Recipient | 'staff';
    template: N;
    params: NotificationTemplates[N];
    channels: readonly NotificationChannel[];
  };
}[NotificationTemplateName];

/** Events whose notices name the technician (the broadcaster looks the name up only for these). */
export const EVENTS_NAMING_TECHNICIAN: ReadonlySet<string> = new Set(['assign', 'depart', 'arrive', 'complete']);

const IN_APP = ['in_app'] as const;
const IN_APP_SMS = ['in_app', 'sms'] as const;
const IN_APP_EMAIL = ['in_app', 'email'] as const;

const amount = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) ? v : null);

/**
 * Who hears about an order event, through which channels. Customers get what they wait for
 * (SMS only where it matters: assigned, on the way, done, cancelled, refunded); the technician
 * hears of assignments and cancellations; staff of new orders. Pure, so it is tested alone.
 */
export function planOrderNotices(change: OrderChange, o: OrderFacts): PlannedNotice[] {
  const customer: Recipient = { type: 'customer', id: o.customerId };
  const technician: Recipient | null = o.technicianId ? { type: 'technician', id: o.technicianId } : null;
  const techName = o.technicianName ?? '技师';
  const when = { startAt: o.startAt.toISOString(), timeZone: o.timeZone };
  const newOrder: PlannedNotice = {
    to: 'staff',
    template: 'staff.new_order',
    params: { orderNo: o.orderNo, serviceName: o.serviceName, ...when },
    channels: IN_APP_EMAIL,
  };
  switch (change.event) {
    case 'pay':
      return [
        {
          to: customer,
          template: 'order.paid',
          params: { orderNo: o.orderNo, serviceName: o.serviceName },
          channels: IN_APP,
        },
        newOrder,
      ];
    case 'confirm_unpaid':
      return [newOrder];
    case 'assign':
      return [
        {
          to: customer,
          template: 'order.assigned',
          params: { orderNo: o.orderNo, technicianName: techName, ...when },
          channels: IN_APP_SMS,
        },
        ...(technician
          ? [
              {
                to: technician,
                template: 'order.new_assignment',
                params: { orderNo: o.orderNo, serviceName: o.serviceName, ...when },
                channels: IN_APP_SMS,
              } satisfies PlannedNotice,
            ]
          : []),
      ];
    case 'depart':
      return [
        {
          to: customer,
          template: 'order.departed',
          params: { orderNo: o.orderNo, technicianName: techName },
          channels: IN_APP_SMS,
        },
      ];
    case 'arrive':
      return [
        {
          to: customer,
          template: 'order.arrived',
          params: { orderNo: o.orderNo, technicianName: techName },
          channels: IN_APP,
        },
      ];
    case 'complete':
      return [
        {
          to: customer,
          template: 'order.completed',
          params: { orderNo: o.orderNo, technicianName: techName },
          channels: IN_APP_SMS,
        },
      ];
    case 'cancel':
      return [
        {
          to: customer,
          template: 'order.cancelled',
          params: { orderNo: o.orderNo, refundFen: amount(change.details.refundFen) },
          channels: IN_APP_SMS,
        },
        // a technician already holding the order must not set off for it
        ...(technician
          ? [
              {
                to: technician,
                template: 'order.cancelled',
                params: { orderNo: o.orderNo, refundFen: null },
                channels: IN_APP_SMS,
              } satisfies PlannedNotice,
            ]
          : []),
      ];
    case 'refund':
    case 'refund_partial':
      return [
        {
          to: customer,
          template: 'order.refunded',
          params: { orderNo: o.orderNo, amountFen: amount(change.details.amountFen) ?? o.refundedFen },
          channels: IN_APP_SMS,
        },
      ];
    default:
      return [];
  }
}
