import { Injectable, Logger, Optional } from '@nestjs/common';
import { AuditService } from '../../platform/audit/audit.service';
import { JobHandler } from '../../platform/queue/job-handler.decorator';
import { NotificationService } from '../notifications/notification.service';
import { SYSTEM } from './order-actor';
import { effectiveSettings } from './order-settings';
import { ORDER_TIMER_JOBS, type OrderTimerPayload } from './order-timers';
import { OrderTimersService } from './order-timers.service';
import { OrderTransitions } from './order-transitions.service';
import { OrdersRepository } from './orders.repository';

const ACTIVE_BEFORE_START = ['paid', 'dispatching', 'assigned', 'accepted', 'departed', 'arrived'];

/**
 * Thin BullMQ handlers (they run inside the job's tenant context, one transaction). Each re-reads
 * the order under its row lock and does nothing when the order has moved on — a duplicate or
 * late timer is harmless. The lock also matters for timers enqueued inside a transaction that has
 * not committed yet (overrun check with no delay): the handler waits for that commit and then
 * sees the new status, instead of reading the old one. A timer that fires early (its due time was pushed back) reschedules.
 * Reminders (customer, and the technician once assigned) and overrun alerts (every active staff
 * account) go through the notifications module (in-app + SMS) and are also recorded in the audit
 * trail; without that module (unit setups) they are audited and logged only.
 */
@Injectable()
export class OrderTimersJob {
  private readonly logger = new Logger('order-timers');

  constructor(
    private readonly repo: OrdersRepository,
    private readonly transitions: OrderTransitions,
    private readonly timers: OrderTimersService,
    private readonly audit: AuditService,
    @Optional() private readonly notifications?: NotificationService,
  ) {}

  @JobHandler(ORDER_TIMER_JOBS.unpaidTimeout)
  async unpaidTimeout(payload: OrderTimerPayload): Promise<string> {
    const order = await this.transitions.lock(payload.orderId);
    if (!order || order.status !== 'pending_payment') return 'moved-on';
    if (order.paymentDueAt && order.paymentDueAt.getTime() > Date.now()) {
      await this.timers.reschedule('unpaid', order, order.paymentDueAt);
      return 'rescheduled';
    }
    await this.transitions.apply(order.id, 'cancel', SYSTEM, '超时未支付 / not paid in time', {
      locked: order,
      patch: { cancelledAt: new Date(), cancelReason: 'unpaid_timeout', paymentDueAt: null },
    });
    return 'cancelled';
  }

  @JobHandler(ORDER_TIMER_JOBS.startReminder)
  async startReminder(payload: OrderTimerPayload): Promise<string> {
    const order = await this.transitions.lock(payload.orderId);
    if (!order || !ACTIVE_BEFORE_START.includes(order.status)) return 'moved-on';
    await this.audit.record({
      actorType: 'system',
      action: 'order.start_reminder',
      targetType: 'order',
      targetId: order.id,
      details: { orderNo: order.orderNo, startAt: order.startAt.toISOString(), delivered: 'log-only' },
    });
    if (!this.notifications) {
      this.logger.log({ msg: 'start reminder due (no notifications module: audit only)', orderId: order.id });
      return 'reminded';
    }
    const { timezone } = await this.repo.store();
    const params = {
      orderNo: order.orderNo,
      serviceName: order.serviceName,
      startAt: order.startAt.toISOString(),
      timeZone: timezone,
    };
    const notice = {
      template: 'order.start_reminder' as const,
      params,
      channels: ['in_app', 'sms'] as const,
      orderId: order.id,
    };
    await this.notifications.notify({ ...notice, recipient: { type: 'customer', id: order.customerId } });
    if (order.technicianId && order.status !== 'paid' && order.status !== 'dispatching') {
      await this.notifications.notify({ ...notice, recipient: { type: 'technician', id: order.technicianId } });
    }
    return 'reminded';
  }

  @JobHandler(ORDER_TIMER_JOBS.overrunCheck)
  async overrunCheck(payload: OrderTimerPayload): Promise<string> {
    const order = await this.transitions.lock(payload.orderId);
    if (!order || order.status !== 'in_service') return 'moved-on';
    const grace = effectiveSettings(await this.repo.settings()).overrunGraceMinutes;
    const dueAt = new Date(order.endAt.getTime() + grace * 60_000);
    if (dueAt.getTime() > Date.now()) {
      await this.timers.reschedule('overrun', order, dueAt); // extended (加钟) since: check again later
      return 'rescheduled';
    }
    await this.audit.record({
      actorType: 'system',
      action: 'order.overrun_alert',
      targetType: 'order',
      targetId: order.id,
      details: { orderNo: order.orderNo, endAt: order.endAt.toISOString(), graceMinutes: grace },
    });
    this.logger.warn({ msg: 'service overrun: alert the store', orderId: order.id, technicianId: order.technicianId });
    await this.notifications?.notifyStaff({
      template: 'staff.overrun',
      params: {
        orderNo: order.orderNo,
        technicianName: null,
        minutes: Math.max(1, Math.round((Date.now() - order.endAt.getTime()) / 60_000)),
      },
      channels: ['in_app', 'sms'],
      orderId: order.id,
    });
    return 'alerted';
  }
}
