import { Injectable } from '@nestjs/common';
import { JobHandler } from '../../platform/queue/job-handler.decorator';
import {
  DISPATCH_JOBS,
  type DispatchStartPayload,
  type GrabStepPayload,
  type OfferTimeoutPayload,
  type PoolTimeoutPayload,
} from './dispatch-jobs';
import { DispatchService } from './dispatch.service';

/** Thin BullMQ handlers; each runs in the job's tenant context, one transaction. */
@Injectable()
export class DispatchJob {
  constructor(private readonly dispatch: DispatchService) {}

  @JobHandler(DISPATCH_JOBS.start)
  start(p: DispatchStartPayload): Promise<string> {
    return this.dispatch.start(p.orderId);
  }

  @JobHandler(DISPATCH_JOBS.offerTimeout)
  offerTimeout(p: OfferTimeoutPayload): Promise<string> {
    return this.dispatch.offerTimedOut(p.offerId);
  }

  @JobHandler(DISPATCH_JOBS.grabStep)
  grabStep(p: GrabStepPayload): Promise<string> {
    return this.dispatch.grabStepElapsed(p.orderId, p.stepIndex);
  }

  @JobHandler(DISPATCH_JOBS.poolTimeout)
  poolTimeout(p: PoolTimeoutPayload): Promise<string> {
    return this.dispatch.poolTimedOut(p.orderId);
  }
}
