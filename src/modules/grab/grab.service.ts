import { ConflictException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { Order } from '../../generated/prisma/client';
import type { Actor } from '../../platform/auth/actor';
import { TenantContext } from '../../platform/database/tenant-context';
import { RealtimeHub } from '../../platform/realtime/realtime-hub';
import { orderActorOf } from '../orders/order-actor';
import { OrderTransitions } from '../orders/order-transitions.service';
import { GRAB_ASSIGNER, type GrabAssigner } from './grab-assigner';
import { DEFAULT_COMMISSION_BPS, earningFen, offerView, roundToDistrict, type GrabOfferView } from './grab-offer';
import { GrabRepository, type ListingRow } from './grab.repository';

/** How far from the customer a technician is pushed a new grab order. */
export const PUSH_RADIUS_M = 10_000;
/** How long a claim waits for another claim in flight on the same order to finish. */
const CLAIM_WAIT_MS = 3_000;

export interface ClaimResult {
  orderId: string;
  status: string;
  technicianId: string;
  startAt: string;
}

const alreadyTaken = () =>
  new ConflictException({ code: 'ALREADY_TAKEN', message: '订单已被抢 / this order has already been taken' });
const notFound = () => new NotFoundException({ code: 'ORDER_NOT_FOUND', message: 'order not found' });

/**
 * 抢单 grab hall. `open` lists a dispatching order and pushes it to each eligible technician's own
 * topic (nobody hears of orders they could not take); `claim` is one conditional UPDATE, the
 * busy-time hold and the transition in one unit of work, so exactly one technician wins; everyone
 * else who was pushed the order hears `grab.taken` (order and time, never the winner).
 */
@Injectable()
export class GrabService {
  constructor(
    private readonly repo: GrabRepository,
    private readonly transitions: OrderTransitions,
    private readonly hub: RealtimeHub,
    private readonly tenantContext: TenantContext,
    @Inject(GRAB_ASSIGNER) private readonly assigner: GrabAssigner,
  ) {}

  /** Staff put a dispatching order into the grab hall by hand: pushed to everyone eligible nearby. */
  async open(orderId: string): Promise<{ orderId: string; status: string; pushedTo: number }> {
    const order = await this.transitions.lock(orderId);
    if (!order) throw notFound();
    return this.openFor(order, null);
  }

  /** Lists the order and pushes it to `audience` (dispatch's choice), or to everyone eligible. */
  async openFor(order: Order, audience: string[] | null) {
    if (order.status !== 'dispatching' || order.technicianId) {
      throw new ConflictException({
        code: 'NOT_DISPATCHING',
        message: 'only an unassigned dispatching order can be grabbed',
      });
    }
    const listing = await this.repo.open({
      orderId: order.id,
      serviceName: order.serviceName,
      durationMinutes: order.durationMinutes,
      startAt: order.startAt,
      endAt: order.endAt,
      lat: order.addressLat,
      lng: order.addressLng,
      areaLat: roundToDistrict(order.addressLat),
      areaLng: roundToDistrict(order.addressLng),
      priceFen: order.totalFen,
      earningFen: earningFen(order.totalFen, DEFAULT_COMMISSION_BPS),
    });
    if (!listing) throw alreadyTaken();
    const pushedTo = await this.push(listing, audience);
    return { orderId: listing.orderId, status: listing.status, pushedTo };
  }

  /** Staff take an order back out of the hall (e.g. to assign it by hand). */
  async close(orderId: string): Promise<{ orderId: string; status: string }> {
    const listing = await this.repo.find(orderId);
    if (!listing) throw notFound();
    if (!(await this.repo.close(orderId))) throw alreadyTaken();
    await this.announceTaken(listing, null);
    return { orderId, status: 'closed' };
  }

  async nearMe(actor: Actor, q: { lat: number; lng: number; radius: number }): Promise<GrabOfferView[]> {
    const me = await this.requireTechnician(actor);
    const rows = await this.repo.near(q.lat, q.lng, q.radius);
    return rows.map((r) => offerView(r, r.distanceM, me.commissionBps));
  }

  /**
   * Runs as its own short units of work (the route has no request transaction): while another
   * claim on the same order is mid-way (row locked), wait briefly *outside* any transaction and
   * look again, so hundreds of losers never sit on pooled connections behind the winner. A
   * committed winner → ALREADY_TAKEN at once; a winner that rolled back (SLOT_TAKEN) → the next
   * one gets its turn, so the order is never lost to a refused claimer.
   */
  async claim(actor: Actor, tenantId: string, orderId: string): Promise<ClaimResult> {
    const deadline = Date.now() + CLAIM_WAIT_MS;
    for (;;) {
      const result = await this.tenantContext.run(tenantId, () => this.claimOnce(actor, orderId));
      if (result !== 'busy') return result;
      if (Date.now() > deadline) throw alreadyTaken();
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 10));
    }
  }

  private async claimOnce(actor: Actor, orderId: string): Promise<ClaimResult | 'busy'> {
    await this.requireTechnician(actor);
    const seen = await this.repo.tryLock(orderId);
    if (seen.status === null) throw notFound();
    if (seen.status !== 'open') throw alreadyTaken();
    if (!seen.locked) return 'busy';
    const taken = await this.repo.take(orderId, actor.id);
    if (!taken) throw alreadyTaken(); // its start has passed
    // SLOT_TAKEN (busy then) or an order no longer dispatching throws: this unit of work rolls
    // back, so the listing is open again for the others.
    const who = orderActorOf(actor);
    const order = await this.assigner.assign(orderId, actor.id, { via: 'grab', actor: who, reason: 'grab' });
    await this.repo.withdrawFromPool(orderId, who);
    await this.announceTaken(taken, actor.id);
    return { orderId, status: order.status, technicianId: actor.id, startAt: order.startAt.toISOString() };
  }

  private async requireTechnician(actor: Actor) {
    if (actor.kind !== 'technician') {
      throw new ForbiddenException({ code: 'TECHNICIANS_ONLY', message: 'only technicians grab orders' });
    }
    const me = await this.repo.technician(actor.id);
    if (!me) throw new ForbiddenException({ code: 'NOT_ON_DUTY', message: '请先上线 / go online to grab orders' });
    return me;
  }

  private async push(listing: ListingRow, audience: string[] | null): Promise<number> {
    const eligible = await this.repo.eligibleTechnicians(listing, PUSH_RADIUS_M, audience);
    // keep anyone pushed at an earlier radius step: they still hear grab.taken
    const ids = [...new Set([...listing.offeredTo, ...eligible.map((t) => t.id)])];
    await this.repo.setOfferedTo(listing.orderId, ids);
    const tenantId = this.tenantContext.tenantId();
    await Promise.all(
      eligible.map((t) =>
        this.hub.publish(tenantId, `technician:${t.id}`, {
          type: 'grab.offer',
          data: offerView(listing, t.distanceM, t.commissionBps),
        }),
      ),
    );
    return ids.length;
  }

  private async announceTaken(listing: ListingRow, winnerId: string | null): Promise<void> {
    const tenantId = this.tenantContext.tenantId();
    const takenAt = new Date().toISOString();
    await Promise.all(
      listing.offeredTo
        .filter((id) => id !== winnerId)
        .map((id) =>
          this.hub.publish(tenantId, `technician:${id}`, {
            type: 'grab.taken',
            data: { orderId: listing.orderId, takenAt },
          }),
        ),
    );
  }
}
