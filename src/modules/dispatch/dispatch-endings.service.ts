import { Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { DispatchRun, Order } from '../../generated/prisma/client';
import { TenantContext } from '../../platform/database/tenant-context';
import { JobQueue } from '../../platform/queue/job-queue';
import { RealtimeHub } from '../../platform/realtime/realtime-hub';
import { BusyTimeService } from '../scheduling/busy-time.service';
import { CandidatesService, type Evaluation } from './candidates.service';
import { DISPATCH_JOBS, grabJobId, poolJobId } from './dispatch-jobs';
import type { DispatchSettingsView } from './dispatch-settings';
import { DispatchRepository } from './dispatch.repository';
import { evaluationEntries } from './evaluation-log';
import { GRAB_HALL, type GrabHallPort } from './grab-hall.port';
import { SHARED_POOL, type SharedPoolPort } from './shared-pool.port';

/** Stores that send orders they cannot place to the shared pool. */
const GIVERS: ReadonlySet<string> = new Set(['giver', 'both']);

/**
 * How a dispatch chain leaves one-to-one offering: into the grab hall, out to the shared pool,
 * to staff ("needs staff"), stopped (the order was cancelled), or restarted after the assigned
 * technician gave it back. Called by DispatchService under the order's dispatch-run lock.
 */
@Injectable()
export class DispatchEndings {
  private readonly logger = new Logger('dispatch');

  constructor(
    private readonly repo: DispatchRepository,
    private readonly candidates: CandidatesService,
    private readonly hub: RealtimeHub,
    private readonly jobs: JobQueue,
    private readonly tenantContext: TenantContext,
    private readonly moduleRef: ModuleRef,
    private readonly busy: BusyTimeService,
  ) {}

  /**
   * The assigned technician gave the order back (assigned → dispatching): their time is free again,
   * and a declined offer row on record keeps this chain from offering it to them once more.
   */
  async givenBack(order: Order, run: DispatchRun, settings: DispatchSettingsView): Promise<void> {
    const technicianId = order.technicianId!;
    await this.busy.releaseByReference(order.id);
    const round = run.round + 1;
    const row = await this.repo.insertOffer({
      orderId: order.id,
      technicianId,
      round,
      stepIndex: 0,
      radiusM: settings.radiusStepsM[0]!,
      score: 0,
      expiresAt: new Date(Date.now() + 1000),
    });
    if (!row) return;
    await this.repo.closeOffer(row.id, 'declined');
    await this.repo.updateRun(order.id, { round });
    run.round = round;
    await this.repo.log([
      { orderId: order.id, kind: 'declined', technicianId, reasonCode: 'assignment_declined', actorType: 'system' },
    ]);
  }

  /** The order left dispatching without an assignment (cancelled): withdraw what is still open. */
  async stop(orderId: string, run: DispatchRun): Promise<string> {
    if (!['offering', 'grab', 'pool', 'needs_staff'].includes(run.state)) return 'moved-on';
    const tenantId = this.tenantContext.tenantId();
    for (const o of await this.repo.openOffers(orderId)) {
      await this.repo.closeOffer(o.id, 'withdrawn');
      await this.repo.log([
        {
          orderId,
          kind: 'withdrawn',
          technicianId: o.technicianId,
          reasonCode: 'order_moved_on',
          details: { offerId: o.id },
          actorType: 'system',
        },
      ]);
      await this.hub.publish(tenantId, `technician:${o.technicianId}`, {
        type: 'offer.withdrawn',
        data: { offerId: o.id, orderId },
      });
    }
    await this.repo.updateRun(orderId, { state: 'closed' });
    return 'stopped';
  }

  async openGrab(order: Order, step: number, settings: DispatchSettingsView, reason?: string) {
    const radiusM = settings.radiusStepsM[step]!;
    const ev = await this.candidates.evaluate(order, radiusM, settings.weights);
    await this.logEvaluation(order.id, ev, new Set(), radiusM, step);
    const technicianIds = ev.ranked.map((r) => r.technicianId);
    await this.repo.updateRun(order.id, { state: 'grab', stepIndex: step });
    await this.repo.log([
      {
        orderId: order.id,
        kind: 'grab_opened',
        reasonCode: reason ?? null,
        details: { radiusM, stepIndex: step, technicianIds },
        actorType: 'system',
      },
    ]);
    const audience = { technicianIds, radiusM, stepIndex: step };
    const hall = this.grabHall();
    if (hall) await hall.open(order, audience);
    else {
      const tenantId = this.tenantContext.tenantId();
      for (const id of technicianIds) {
        await this.hub.publish(tenantId, `technician:${id}`, {
          type: 'grab.open',
          data: { orderId: order.id, serviceName: order.serviceName, startAt: order.startAt.toISOString() },
        });
      }
    }
    await this.jobs.enqueue(
      DISPATCH_JOBS.grabStep,
      { tenantId: this.tenantContext.tenantId(), orderId: order.id, stepIndex: step },
      { jobId: grabJobId(order.id, step), delayMs: settings.offerTimeoutSeconds * 1000 },
    );
    return 'grab';
  }

  /**
   * Nobody took the order at any radius step (offers, then the grab hall where the mode has it).
   * A store that gives to the shared pool, with the platform's pool on, publishes it there through
   * the audited platform path and waits `offerTimeoutSeconds` for another store's technician
   * (then `poolTimedOut` asks staff); otherwise staff are asked at once.
   */
  async exhausted(order: Order, step: number, settings: DispatchSettingsView): Promise<string> {
    const pool = this.sharedPool();
    if (!pool || !GIVERS.has(settings.poolParticipation) || !(await pool.enabled())) {
      return this.needsStaff(order, 'steps_exhausted');
    }
    const published = await pool.publish(order.id);
    await this.repo.updateRun(order.id, { state: 'pool' });
    await this.repo.log([
      {
        orderId: order.id,
        kind: 'pool_published',
        reasonCode: 'steps_exhausted',
        details: {
          poolOfferId: published.offerId,
          takerShareFen: published.takerShareFen,
          stepIndex: step,
          radiusM: settings.radiusStepsM[step] ?? null,
        },
        actorType: 'system',
      },
    ]);
    const tenantId = this.tenantContext.tenantId();
    await this.hub.publish(tenantId, 'staff', {
      type: 'dispatch.pool_published',
      data: { orderId: order.id, orderNo: order.orderNo, startAt: order.startAt.toISOString() },
    });
    await this.jobs.enqueue(
      DISPATCH_JOBS.poolTimeout,
      { tenantId, orderId: order.id },
      { jobId: poolJobId(order.id, Date.now()), delayMs: settings.offerTimeoutSeconds * 1000 },
    );
    return 'pool';
  }

  async needsStaff(order: Order, reason: string): Promise<string> {
    await this.repo.updateRun(order.id, { state: 'needs_staff' });
    await this.repo.log([{ orderId: order.id, kind: 'needs_staff', reasonCode: reason, actorType: 'system' }]);
    await this.hub.publish(this.tenantContext.tenantId(), 'staff', {
      type: 'dispatch.needs_staff',
      data: { orderId: order.id, orderNo: order.orderNo, reason, startAt: order.startAt.toISOString() },
    });
    this.logger.warn({ msg: 'order needs a technician assigned by staff', orderId: order.id, reason });
    return 'needs_staff';
  }

  logEvaluation(orderId: string, ev: Evaluation, skip: Set<string>, radiusM: number, step: number) {
    return this.repo.log(evaluationEntries(orderId, ev, skip, radiusM, step));
  }

  private grabHall(): GrabHallPort | null {
    try {
      return this.moduleRef.get<GrabHallPort>(GRAB_HALL, { strict: false });
    } catch {
      return null;
    }
  }

  private sharedPool(): SharedPoolPort | null {
    try {
      return this.moduleRef.get<SharedPoolPort>(SHARED_POOL, { strict: false });
    } catch {
      return null;
    }
  }
}
