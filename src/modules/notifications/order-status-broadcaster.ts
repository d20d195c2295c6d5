import { Injectable } from '@nestjs/common';
import type { Order } from '../../generated/prisma/client';
import { NotificationService, type NoticeBuilder } from './notification.service';
import { EVENTS_NAMING_TECHNICIAN, planOrderNotices, type OrderChange } from './order-notice-plan';
import { NotificationsRepository } from './notifications.repository';

/**
 * The live `order.status` event (SSE) every party of an order receives on each transition. The
 * hub stamps `at` (ms since epoch) on publishing, right after the commit; streams carry it.
 */
export interface OrderStatusEvent {
  orderId: string;
  orderNo: string;
  event: string;
  from: string;
  to: string;
}

/** An order change's notices: whom they name, and how to build them given that name. */
interface ChangeNotices {
  technicianId: string | null;
  build: NoticeBuilder;
}

const NO_NOTICES: NoticeBuilder = () => [];

/**
 * Called by OrderTransitions.apply right after it wrote the order event, inside the same unit
 * of work: publishes `order.status` to the customer, the order, the store's staff and the
 * assigned technician and writes the notifications the change calls for (order-notice-plan.ts).
 * Both wait for the end of the unit of work (NotificationService.notifyAtCommit), so the changes
 * of one unit of work (paid, then assigned) are written as one batch before its COMMIT and
 * pushed as one pipeline after it.
 */
@Injectable()
export class OrderStatusBroadcaster {
  constructor(
    private readonly notifications: NotificationService,
    private readonly repo: NotificationsRepository,
  ) {}

  async changed(order: Order, change: OrderChange): Promise<void> {
    const data: OrderStatusEvent = {
      orderId: order.id,
      orderNo: order.orderNo,
      event: change.event,
      from: change.from,
      to: change.to,
    };
    const topics = [`customer:${order.customerId}`, `order:${order.id}`, 'staff'];
    // The chosen technician follows the order from its payment on; an order that never got
    // past payment (unpaid timeout) was never theirs to see.
    const neverPaid = change.from === 'pending_payment' && change.to === 'cancelled';
    if (order.technicianId && !neverPaid) topics.push(`technician:${order.technicianId}`);
    const notices = await this.notices(order, change);
    await this.notifications.notifyAtCommit(
      notices?.technicianId ?? null,
      notices?.build ?? NO_NOTICES,
      topics.map((topic) => ({ topic, event: { type: 'order.status', data } })),
    );
  }

  /**
   * The notifications a change calls for, without the live event, written at once. With
   * `onceSince` (when the change happened) nothing is written if those notices of the order were
   * already written since — for a change recorded elsewhere whose notices a job sends, and may
   * send again on a replay.
   */
  async notifyChange(order: Order, change: OrderChange, onceSince?: Date): Promise<void> {
    const notices = await this.notices(order, change);
    if (!notices) return;
    if (onceSince) {
      // the templates (and recipients) of a change do not depend on the technician's name
      const templates = notices.build(null).map((n) => n.template);
      if (await this.repo.orderNoticeWrittenSince(order.id, templates, onceSince)) return;
    }
    await this.notifications.notifyAllNaming(notices.technicianId, notices.build);
  }

  /** null when the change notifies nobody (most do not: then no lookups at all). */
  private async notices(order: Order, change: OrderChange): Promise<ChangeNotices | null> {
    const facts = {
      orderNo: order.orderNo,
      customerId: order.customerId,
      technicianId: order.technicianId,
      technicianName: null as string | null,
      serviceName: order.serviceName,
      startAt: order.startAt,
      timeZone: 'Asia/Shanghai',
      refundedFen: order.refundedFen,
    };
    if (planOrderNotices(change, facts).length === 0) return null;
    facts.timeZone = (await this.repo.store())?.timezone ?? facts.timeZone;
    // The technician's name, where the notices use it, comes with the recipients' contacts.
    const named = order.technicianId && EVENTS_NAMING_TECHNICIAN.has(change.event) ? order.technicianId : null;
    return {
      technicianId: named,
      build: (technicianName) =>
        planOrderNotices(change, { ...facts, technicianName }).map((notice) => ({
          recipient: notice.to,
          template: notice.template,
          params: notice.params,
          channels: notice.channels,
          orderId: order.id,
        })),
    };
  }
}
