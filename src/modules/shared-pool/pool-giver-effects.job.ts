import { Injectable } from '@nestjs/common';
import { JobHandler } from '../../platform/queue/job-handler.decorator';
import { OrderStatusBroadcaster } from '../notifications/order-status-broadcaster';
import { OrderTransitions } from '../orders/order-transitions.service';
import { POOL_GIVER_EFFECTS_JOB, STEP_EVENTS, type PoolGiverEffectsPayload } from './pool-giver-effects';
import { PoolGiverEffectsRepository } from './pool-giver-effects.repository';

/**
 * Runs in the giving store's context (one transaction): re-reads its order under the row lock and
 * the events the step wrote, sends the notices the same transitions send there
 * (OrderStatusBroadcaster.notifyChange, once per event: a replay finds them written and sends
 * nothing) and, on the start of the service, schedules its overrun check (deterministic job id).
 */
@Injectable()
export class PoolGiverEffectsJob {
  constructor(
    private readonly transitions: OrderTransitions,
    private readonly broadcaster: OrderStatusBroadcaster,
    private readonly repo: PoolGiverEffectsRepository,
  ) {}

  @JobHandler(POOL_GIVER_EFFECTS_JOB)
  async run(payload: PoolGiverEffectsPayload): Promise<string> {
    const order = await this.transitions.lock(payload.orderId);
    if (!order) return 'no-order';
    const events = await this.repo.poolEvents(order.id, payload.offerId, STEP_EVENTS[payload.step]);
    if (events.length === 0) return 'no-step';
    for (const e of events) {
      const change = {
        event: e.event,
        from: e.fromStatus,
        to: e.toStatus,
        details: (e.details ?? {}) as Record<string, unknown>,
      };
      await this.broadcaster.notifyChange(order, change, e.createdAt);
      if (e.toStatus === 'in_service' && order.status === 'in_service') {
        await this.transitions.scheduleOverrunCheck(order);
      }
    }
    return 'done';
  }
}
