import { ConflictException, Injectable, NotFoundException, Optional } from '@nestjs/common';
import type { Order, Prisma } from '../../generated/prisma/client';
import { OrderStatusBroadcaster } from '../notifications/order-status-broadcaster';
import { BusyTimeService } from '../scheduling/busy-time.service';
import type { OrderActor } from './order-actor';
import { isOrderStatus, transition, type OrderEventName } from './order-state';
import { effectiveSettings } from './order-settings';
import { OrderTimersService } from './order-timers.service';
import { OrdersRepository } from './orders.repository';

export interface ApplyOptions {
  /** extra columns changed together with the status (paid amount, technician, cancel reason …) */
  patch?: Prisma.OrderUncheckedUpdateInput;
  details?: Record<string, unknown>;
  /** the caller already holds the row lock and has this row */
  locked?: Order;
}

/** Runs in the transition's transaction after a status is entered (e.g. dispatch starts on `dispatching`). */
export type StatusListener = (order: Order, from: string) => Promise<void>;

/**
 * The ONLY way an order's status changes. Locks the row (SELECT … FOR UPDATE), asks the pure
 * state machine, updates the order and appends the `order_events` row — all in the caller's
 * transaction (HTTP request, job or payment callback, always inside TenantContext.run), so a
 * status and its event can never disagree. Illegal → 409 ILLEGAL_TRANSITION, nothing written.
 *
 * Side effects that belong to a status live here too: leaving for `cancelled` releases the
 * technician's busy time; entering `in_service` schedules the overrun check.
 */
@Injectable()
export class OrderTransitions {
  private readonly listeners = new Map<string, StatusListener[]>();

  constructor(
    private readonly repo: OrdersRepository,
    private readonly busy: BusyTimeService,
    private readonly timers: OrderTimersService,
    // live `order.status` + notifications (notifications module; optional so unit specs need none)
    @Optional() private readonly broadcaster?: OrderStatusBroadcaster,
  ) {}

  async apply(
    orderId: string,
    event: OrderEventName,
    actor: OrderActor,
    reason?: string | null,
    opts: ApplyOptions = {},
  ): Promise<Order> {
    const order = opts.locked ?? (await this.repo.lock(orderId));
    if (!order) throw new NotFoundException({ code: 'ORDER_NOT_FOUND', message: 'order not found' });
    const from = order.status;
    const to = isOrderStatus(from) ? transition(from, event, { technicianChosen: order.technicianId !== null }) : null;
    if (to === null) {
      throw new ConflictException({
        code: 'ILLEGAL_TRANSITION',
        message: `订单状态 ${from} 不能执行 ${event} / an order in status ${from} cannot ${event}`,
        from,
        event,
      });
    }
    const patch = { ...opts.patch, status: to };
    const e = {
      event,
      fromStatus: from,
      toStatus: to,
      actorType: actor.type,
      actorId: actor.id,
      reason: reason ?? null,
      details: (opts.details ?? {}) as Prisma.InputJsonValue,
    };
    // One statement for the usual plain-value patch; update + insert otherwise (increments …).
    let updated = await this.repo.updateWithEvent(order.id, patch, e);
    if (!updated) {
      updated = await this.repo.update(order.id, patch);
      await this.repo.insertEvent({ orderId: order.id, ...e });
    }
    await this.broadcaster?.changed(updated, { event, from, to, details: opts.details ?? {} });
    if (to === 'cancelled' && updated.technicianId) await this.busy.releaseByReference(updated.id);
    if (to === 'in_service' && from !== 'in_service') await this.scheduleOverrunCheck(updated);
    for (const listener of this.listeners.get(to) ?? []) if (to !== from) await listener(updated, from);
    return updated;
  }

  /** Other modules hook into a status without orders depending on them (dispatch listens to `dispatching`). */
  onEnter(status: string, listener: StatusListener): void {
    this.listeners.set(status, [...(this.listeners.get(status) ?? []), listener]);
  }

  /**
   * The safety timer of a service that has begun: staff are alerted when it runs past its end
   * plus the store's grace without a check-out. Also for an order that entered `in_service`
   * outside apply (a shared-pool holder's start, written by the platform function).
   */
  async scheduleOverrunCheck(order: Order): Promise<void> {
    const grace = effectiveSettings(await this.repo.settings()).overrunGraceMinutes;
    await this.timers.overrunCheck(order, new Date(order.endAt.getTime() + grace * 60_000));
  }

  /** Takes the row lock and returns the order (for callers that decide before applying). */
  lock(orderId: string): Promise<Order | null> {
    return this.repo.lock(orderId);
  }
}
