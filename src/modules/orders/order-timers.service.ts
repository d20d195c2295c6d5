import { Injectable } from '@nestjs/common';
import type { Order } from '../../generated/prisma/client';
import { TenantContext } from '../../platform/database/tenant-context';
import { JobQueue } from '../../platform/queue/job-queue';
import { ORDER_TIMER_JOBS, timerJobId } from './order-timers';

/** Schedules an order's delayed jobs (see order-timers.ts for why they are safe to repeat). */
@Injectable()
export class OrderTimersService {
  constructor(
    private readonly jobs: JobQueue,
    private readonly tenantContext: TenantContext,
  ) {}

  unpaidTimeout(order: Pick<Order, 'id'>, dueAt: Date, now = Date.now()): Promise<string> {
    return this.at(ORDER_TIMER_JOBS.unpaidTimeout, timerJobId('unpaid', order.id, dueAt), order.id, dueAt, now);
  }

  /**
   * A timer that fired before its (possibly moved) due time schedules itself again. Its id gets
   * the current time as a suffix: the firing job still holds the plain id, which BullMQ would
   * treat as a duplicate and drop.
   */
  reschedule(kind: 'unpaid' | 'overrun', order: Pick<Order, 'id'>, dueAt: Date, now = Date.now()): Promise<string> {
    const name = kind === 'unpaid' ? ORDER_TIMER_JOBS.unpaidTimeout : ORDER_TIMER_JOBS.overrunCheck;
    return this.at(name, `${timerJobId(kind, order.id, dueAt)}-re${now}`, order.id, dueAt, now);
  }

  startReminder(order: Pick<Order, 'id'>, dueAt: Date, now = Date.now()): Promise<string> {
    return this.at(ORDER_TIMER_JOBS.startReminder, timerJobId('reminder', order.id, dueAt), order.id, dueAt, now);
  }

  overrunCheck(order: Pick<Order, 'id'>, dueAt: Date, now = Date.now()): Promise<string> {
    return this.at(ORDER_TIMER_JOBS.overrunCheck, timerJobId('overrun', order.id, dueAt), order.id, dueAt, now);
  }

  private at(
    name: (typeof ORDER_TIMER_JOBS)[keyof typeof ORDER_TIMER_JOBS],
    jobId: string,
    orderId: string,
    dueAt: Date,
    now: number,
  ): Promise<string> {
    const payload = { tenantId: this.tenantContext.tenantId(), orderId };
    return this.jobs.enqueue(name, payload, { jobId, delayMs: Math.max(0, dueAt.getTime() - now) });
  }
}
