import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import type { DispatchOffer } from '../../generated/prisma/client';
import type { Actor } from '../../platform/auth/actor';
import { JobQueue } from '../../platform/queue/job-queue';
import { TenantContext } from '../../platform/database/tenant-context';
import { orderActorOf } from '../orders/order-actor';
import { AssignmentService } from './assignment.service';
import { DISPATCH_QUEUE, offerJobId } from './dispatch-jobs';
import { DispatchRepository } from './dispatch.repository';
import { DispatchService } from './dispatch.service';
import type { OfferView } from './dto/offer.dto';

const offerNotFound = () => new NotFoundException({ code: 'OFFER_NOT_FOUND', message: 'offer not found' });

export function offerView(o: DispatchOffer): OfferView {
  return {
    id: o.id,
    orderId: o.orderId,
    status: o.status,
    round: o.round,
    radiusM: o.radiusM,
    offeredAt: o.offeredAt.toISOString(),
    expiresAt: o.expiresAt.toISOString(),
    respondedAt: o.respondedAt?.toISOString() ?? null,
  };
}

/**
 * A technician answers an offer made to them. Someone else's offer is 404 (reveals nothing);
 * an offer no longer open, or past its expiry, is 409 — its timeout job moves the chain on.
 */
@Injectable()
export class OffersService {
  constructor(
    private readonly repo: DispatchRepository,
    private readonly dispatch: DispatchService,
    private readonly assignment: AssignmentService,
    private readonly jobs: JobQueue,
    private readonly tenantContext: TenantContext,
  ) {}

  async mine(actor: Actor, status?: string): Promise<OfferView[]> {
    return (await this.repo.offersOf(actor.id, status)).map(offerView);
  }

  async accept(actor: Actor, offerId: string): Promise<OfferView> {
    const offer = await this.lockOwn(actor, offerId);
    if (offer.expiresAt.getTime() <= Date.now()) {
      throw new ConflictException({ code: 'OFFER_EXPIRED', message: '邀约已超时 / the offer has expired' });
    }
    await this.repo.closeOffer(offer.id, 'accepted');
    await this.assignment.assign(offer.orderId, actor.id, {
      via: 'auto',
      actor: orderActorOf(actor),
      offerId: offer.id,
      accepted: true,
    });
    this.dropTimer(offer.id);
    return offerView((await this.repo.findOffer(offer.id))!);
  }

  async decline(actor: Actor, offerId: string, reason?: string): Promise<OfferView> {
    const offer = await this.lockOwn(actor, offerId);
    await this.repo.closeOffer(offer.id, 'declined');
    await this.repo.log([
      {
        orderId: offer.orderId,
        kind: 'declined',
        technicianId: actor.id,
        reasonCode: 'technician_declined',
        details: { offerId: offer.id, round: offer.round, reason: reason ?? null },
        actorType: 'technician',
        actorId: actor.id,
      },
    ]);
    const settings = await this.repo.settings();
    const run = await this.repo.lockRun(offer.orderId, settings.mode);
    await this.dispatch.continueAfter(offer.orderId, run, settings);
    this.dropTimer(offer.id);
    return offerView((await this.repo.findOffer(offer.id))!);
  }

  /** The run lock first (same order as the timeout job), then the offer's state under it. */
  private async lockOwn(actor: Actor, offerId: string): Promise<DispatchOffer> {
    const first = await this.repo.findOffer(offerId);
    if (!first || first.technicianId !== actor.id) throw offerNotFound();
    await this.repo.lockRun(first.orderId, (await this.repo.settings()).mode);
    const offer = (await this.repo.findOffer(offerId))!;
    if (offer.status !== 'offered') {
      throw new ConflictException({
        code: 'OFFER_NOT_OPEN',
        message: `邀约已${offer.status} / the offer is ${offer.status}`,
        status: offer.status,
      });
    }
    return offer;
  }

  /** The answered offer's timeout is moot (its handler would do nothing); tidy it away after commit. */
  private dropTimer(offerId: string): void {
    void this.tenantContext.afterCommit(async () => {
      await this.jobs
        .queue(DISPATCH_QUEUE)
        .remove(offerJobId(offerId).replaceAll(':', '_'))
        .catch(() => undefined);
    });
  }
}
