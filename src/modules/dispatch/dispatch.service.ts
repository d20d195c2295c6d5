import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { DispatchRun, Order } from '../../generated/prisma/client';
import { TenantContext } from '../../platform/database/tenant-context';
import { JobQueue } from '../../platform/queue/job-queue';
import { RealtimeHub } from '../../platform/realtime/realtime-hub';
import { OrderTransitions } from '../orders/order-transitions.service';
import { CandidatesService } from './candidates.service';
import { DispatchEndings } from './dispatch-endings.service';
import { DISPATCH_JOBS, offerJobId } from './dispatch-jobs';
import type { DispatchSettingsView } from './dispatch-settings';
import { DispatchRepository } from './dispatch.repository';

/**
 * The auto-dispatch chain of one order. Every step runs under the order's dispatch-run row lock
 * (DispatchRepository.lockRun) in one transaction: evaluate → log each exclusion and score →
 * offer to the best not yet asked (one open offer at a time) → push it → schedule its timeout.
 * Nobody left at this radius → the next radius step; after the last → the grab hall
 * (auto_then_grab, at the last radius), and when nobody grabs it either → the shared pool (a
 * giving store, pool on) → "needs staff". Timeouts and declines re-enter `advance`. README.md.
 */
@Injectable()
export class DispatchService implements OnModuleInit {
  constructor(
    private readonly repo: DispatchRepository,
    private readonly candidates: CandidatesService,
    private readonly transitions: OrderTransitions,
    private readonly hub: RealtimeHub,
    private readonly jobs: JobQueue,
    private readonly tenantContext: TenantContext,
    private readonly endings: DispatchEndings,
  ) {}

  onModuleInit(): void {
    // paid → dispatching (or 到付 confirm, or a declined assignment): start after the commit
    this.transitions.onEnter('dispatching', async (order) => {
      await this.jobs.enqueue(
        DISPATCH_JOBS.start,
        { tenantId: this.tenantContext.tenantId(), orderId: order.id },
        { jobId: `dispatch-start:${order.id}:${order.updatedAt.getTime()}` },
      );
    });
    // cancelled mid-dispatch: withdraw the open offer at once (the job takes the run lock first)
    this.transitions.onEnter('cancelled', async (order) => {
      if (!(await this.repo.hasRun(order.id))) return;
      await this.jobs.enqueue(
        DISPATCH_JOBS.start,
        { tenantId: this.tenantContext.tenantId(), orderId: order.id },
        { jobId: `dispatch-stop:${order.id}` },
      );
    });
  }

  /** Starts (or restarts) dispatch of an order in `dispatching`; a no-op while a chain is running. */
  async start(orderId: string): Promise<string> {
    const settings = await this.repo.settings();
    const run = await this.repo.lockRun(orderId, settings.mode);
    const order = await this.candidates.order(orderId);
    if (!order || order.status !== 'dispatching') return this.endings.stop(orderId, run);
    if (['grab', 'pool', 'needs_staff'].includes(run.state)) return 'waiting';
    if (run.state === 'offering' && (await this.repo.openOffers(orderId)).length > 0) return 'running';
    if (run.state === 'assigned' && order.technicianId) await this.endings.givenBack(order, run, settings);
    // a fresh start (or a restart after an assignment fell through) uses the store's current mode
    const fresh = await this.repo.updateRun(orderId, { state: 'offering', stepIndex: 0, mode: settings.mode });
    return this.advance(order, fresh, settings);
  }

  /** Offers to the next best technician, widening the radius when nobody is left. */
  async advance(order: Order, run: DispatchRun, settings: DispatchSettingsView): Promise<string> {
    if (run.mode === 'manual') return this.endings.needsStaff(order, 'manual_mode');
    if (run.mode === 'grab') return this.endings.openGrab(order, run.stepIndex, settings);
    const asked = await this.repo.offeredTechnicianIds(order.id);
    const steps = settings.radiusStepsM;
    let step = Math.min(run.stepIndex, steps.length - 1);
    for (;;) {
      const radiusM = steps[step]!;
      const ev = await this.candidates.evaluate(order, radiusM, settings.weights);
      const fresh = ev.ranked.filter((r) => !asked.has(r.technicianId));
      await this.endings.logEvaluation(order.id, ev, asked, radiusM, step);
      const best = fresh[0];
      if (best) {
        const round = run.round + 1;
        const expiresAt = new Date(Date.now() + settings.offerTimeoutSeconds * 1000);
        const offer = await this.repo.insertOffer({
          orderId: order.id,
          technicianId: best.technicianId,
          round,
          stepIndex: step,
          radiusM,
          score: best.score.total,
          expiresAt,
        });
        if (!offer) return 'duplicate';
        await this.repo.updateRun(order.id, { round, stepIndex: step, state: 'offering' });
        await this.repo.log([
          {
            orderId: order.id,
            kind: 'offered',
            technicianId: best.technicianId,
            score: { ...best.score },
            details: {
              offerId: offer.id,
              round,
              radiusM,
              etaMinutes: best.etaMinutes,
              expiresAt: expiresAt.toISOString(),
            },
            actorType: 'system',
          },
        ]);
        const tenantId = this.tenantContext.tenantId();
        await this.hub.publish(tenantId, `technician:${best.technicianId}`, {
          type: 'offer',
          data: {
            offerId: offer.id,
            orderId: order.id,
            orderNo: order.orderNo,
            serviceName: order.serviceName,
            startAt: order.startAt.toISOString(),
            endAt: order.endAt.toISOString(),
            distanceM: best.distanceM,
            etaMinutes: best.etaMinutes,
            expiresAt: expiresAt.toISOString(),
          },
        });
        await this.jobs.enqueue(
          DISPATCH_JOBS.offerTimeout,
          { tenantId, offerId: offer.id },
          { jobId: offerJobId(offer.id), delayMs: settings.offerTimeoutSeconds * 1000 },
        );
        return 'offered';
      }
      if (step + 1 < steps.length) {
        await this.repo.log([
          {
            orderId: order.id,
            kind: 'escalated',
            reasonCode: 'radius_exhausted',
            details: { fromStep: step, toStep: step + 1, fromM: radiusM, toM: steps[step + 1] },
            actorType: 'system',
          },
        ]);
        step += 1;
        await this.repo.updateRun(order.id, { stepIndex: step });
        continue;
      }
      if (run.mode === 'auto_then_grab') return this.endings.openGrab(order, step, settings, 'steps_exhausted');
      return this.endings.exhausted(order, step, settings);
    }
  }

  /** An offer's timeout fired: expire it if still open and move on. */
  async offerTimedOut(offerId: string): Promise<string> {
    const first = await this.repo.findOffer(offerId);
    if (!first) return 'missing';
    const settings = await this.repo.settings();
    const run = await this.repo.lockRun(first.orderId, settings.mode);
    const offer = await this.repo.findOffer(offerId);
    if (!offer || offer.status !== 'offered') return 'moved-on';
    const early = offer.expiresAt.getTime() - Date.now();
    if (early > 1000) {
      await this.jobs.enqueue(
        DISPATCH_JOBS.offerTimeout,
        { tenantId: this.tenantContext.tenantId(), offerId },
        { jobId: `${offerJobId(offerId)}:re${Date.now()}`, delayMs: early },
      );
      return 'rescheduled';
    }
    await this.repo.closeOffer(offerId, 'expired');
    await this.repo.log([
      {
        orderId: offer.orderId,
        kind: 'expired',
        technicianId: offer.technicianId,
        reasonCode: 'timeout',
        details: { offerId, round: offer.round },
        actorType: 'system',
      },
    ]);
    return this.continueAfter(offer.orderId, run, settings);
  }

  /** After a decline or an expiry: the next candidate, unless the order has left dispatching. */
  async continueAfter(orderId: string, run: DispatchRun, settings: DispatchSettingsView): Promise<string> {
    const order = await this.candidates.order(orderId);
    if (!order || order.status !== 'dispatching') {
      await this.repo.updateRun(orderId, { state: 'closed' });
      return 'moved-on';
    }
    return this.advance(order, run, settings);
  }

  /** The grab step timer fired: nobody grabbed at this radius → widen, or hand to staff. */
  async grabStepElapsed(orderId: string, stepIndex: number): Promise<string> {
    const settings = await this.repo.settings();
    const run = await this.repo.lockRun(orderId, settings.mode);
    const order = await this.candidates.order(orderId);
    if (run.state !== 'grab' || run.stepIndex !== stepIndex || !order || order.status !== 'dispatching') {
      return 'moved-on';
    }
    const steps = settings.radiusStepsM;
    if (run.mode === 'grab' && stepIndex + 1 < steps.length) {
      await this.repo.log([
        {
          orderId,
          kind: 'escalated',
          reasonCode: 'radius_exhausted',
          details: { fromStep: stepIndex, toStep: stepIndex + 1, fromM: steps[stepIndex], toM: steps[stepIndex + 1] },
          actorType: 'system',
        },
      ]);
      return this.endings.openGrab(order, stepIndex + 1, settings);
    }
    return this.endings.exhausted(order, stepIndex, settings);
  }

  /** Nobody took the order from the shared pool in time: staff are asked (the pool offer stays open). */
  async poolTimedOut(orderId: string): Promise<string> {
    const settings = await this.repo.settings();
    const run = await this.repo.lockRun(orderId, settings.mode);
    const order = await this.candidates.order(orderId);
    if (run.state !== 'pool' || !order || order.status !== 'dispatching') return 'moved-on';
    return this.endings.needsStaff(order, 'pool_unclaimed');
  }
}
