import {
  ConflictException,
  ForbiddenException,
  Inject,
  Injectable,
  NotFoundException,
  type OnModuleInit,
} from '@nestjs/common';
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

const notOnDuty = () => new ForbiddenException({ code: 'NOT_ON_DUTY', message: '请先上线 / go online to grab orders' });

function assertTechnician(actor: Actor): void {
  if (actor.kind !== 'technician') {
    throw new ForbiddenException({ code: 'TECHNICIANS_ONLY', message: 'only technicians grab orders' });
  }
}

const alreadyTaken = () =>
  new ConflictException({ code: 'ALREADY_TAKEN', message: '订单已被抢 / this order has already been taken' });
const notFound = () => new NotFoundException({ code: 'ORDER_NOT_FOUND', message: 'order not found' });

/**
 * 抢单 grab hall. `open` lists a dispatching order and pushes it to each eligible technician's own
 * topic (nobody hears of orders they could not take); `claim` is one conditional UPDATE, the
 * busy-time hold and the transition in one unit of work, so exactly one technician wins; every
 * connected technician of the store hears `grab.taken` (order and time, never the winner).
 */
@Injectable()
export class GrabService implements OnModuleInit {
  /** The claim in flight per order in this process (others of the same order wait on it). */
  private readonly inflight = new Map<string, Promise<ClaimResult>>();

  constructor(
    private readonly repo: GrabRepository,
    private readonly transitions: OrderTransitions,
    private readonly hub: RealtimeHub,
    private readonly tenantContext: TenantContext,
    @Inject(GRAB_ASSIGNER) private readonly assigner: GrabAssigner,
  ) {}

  onModuleInit(): void {
    // Assigned some other way (auto offer, staff) or cancelled: out of the hall, and everyone told.
    for (const status of ['assigned', 'cancelled']) {
      this.transitions.onEnter(status, async (order, from) => {
        // Only a dispatching order is ever listed (open() refuses others).
        if (status === 'assigned' && from !== 'dispatching') return;
        const closed = await this.repo.closeIfFree(order.id);
        if (closed) await this.announceTaken(closed);
      });
    }
  }

  /** Staff put a dispatching order into the grab hall by hand: pushed to everyone eligible nearby. */
  async open(orderId: string): Promise<{ orderId: string; status: string; pushedTo: number }> {
    const order = await this.repo.order(orderId);
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
    await this.announceTaken(listing);
    return { orderId, status: 'closed' };
  }

  async nearMe(actor: Actor, q: { lat: number; lng: number; radius: number }): Promise<GrabOfferView[]> {
    const me = await this.requireTechnician(actor);
    const rows = await this.repo.near(q.lat, q.lng, q.radius);
    return rows.map((r) => offerView(r, r.distanceM, me.commissionBps));
  }

  /**
   * Runs as its own short units of work (the route has no request transaction). Claims of the same
   * order in this process queue behind the one in flight without touching the database: when it
   * committed a win they are told ALREADY_TAKEN at once; when it was refused (SLOT_TAKEN) the next
   * one gets its turn, so the order is never lost to a refused claimer. A claim in flight in
   * another process shows as a locked run or listing (SKIP LOCKED): wait briefly outside any transaction
   * and look again, so losers never sit on pooled connections behind the winner.
   */
  async claim(actor: Actor, tenantId: string, orderId: string): Promise<ClaimResult> {
    // Same answers, same order as claimOnce, without its transaction for the (many) losers.
    assertTechnician(actor);
    const pre = await this.tenantContext.runSql(tenantId, (sql) =>
      GrabRepository.claimPrecheck(sql, orderId, actor.id),
    );
    if (!pre.onDuty) throw notOnDuty();
    if (pre.listing === null) throw notFound();
    if (pre.listing !== 'open') throw alreadyTaken();
    const deadline = Date.now() + CLAIM_WAIT_MS;
    let backoffMs = 4;
    for (;;) {
      const key = `${tenantId}:${orderId}`;
      const ahead = this.inflight.get(key);
      if (ahead) {
        // a committed win is final; a refused claim lets the next one try
        if (
          await ahead.then(
            () => true,
            () => false,
          )
        )
          throw alreadyTaken();
        continue;
      }
      const attempt = this.tenantContext.run(tenantId, () => this.claimOnce(actor, orderId));
      const won = attempt.then((r) => {
        if (r === 'busy') throw new Error('busy'); // not a win: waiters try themselves
        return r;
      });
      this.inflight.set(key, won);
      try {
        const result = await attempt;
        if (result !== 'busy') return result;
      } finally {
        if (this.inflight.get(key) === won) this.inflight.delete(key);
        won.catch(() => undefined);
      }
      if (Date.now() > deadline) throw alreadyTaken();
      await new Promise((r) => setTimeout(r, backoffMs + Math.random() * backoffMs));
      backoffMs = Math.min(backoffMs * 2, 50);
    }
  }

  /**
   * Locks in the dispatch order (src/modules/dispatch/README.md): the order's dispatch run, then
   * the listing, then (in assign) the order — both first locks without waiting, so a claim never
   * queues behind a widen, an offer step or another claim while holding anything they need.
   */
  private async claimOnce(actor: Actor, orderId: string): Promise<ClaimResult | 'busy'> {
    await this.requireTechnician(actor);
    const listed = await this.repo.find(orderId);
    if (!listed) throw notFound();
    if (listed.status !== 'open') throw alreadyTaken();
    if (!(await this.assigner.lockFirst(orderId))) return 'busy';
    const seen = await this.repo.tryLock(orderId);
    if (seen.status === null) throw notFound();
    if (seen.status !== 'open') throw alreadyTaken();
    if (!seen.locked) return 'busy';
    const taken = await this.repo.take(orderId, actor.id);
    if (!taken) throw alreadyTaken(); // its start has passed
    // SLOT_TAKEN (busy then) or an order no longer dispatching throws: this unit of work rolls
    // back, so the listing is open again for the others.
    const who = orderActorOf(actor);
    // entering `assigned` also closes the order's shared-pool offer (shared-pool's PoolOrderHooks)
    const order = await this.assigner.assign(orderId, actor.id, { via: 'grab', actor: who, reason: 'grab' });
    await this.announceTaken(taken);
    return { orderId, status: order.status, technicianId: actor.id, startAt: order.startAt.toISOString() };
  }

  private async requireTechnician(actor: Actor) {
    assertTechnician(actor);
    const me = await this.repo.technician(actor.id);
    if (!me) throw notOnDuty();
    return me;
  }

  private async push(listing: ListingRow, audience: string[] | null): Promise<number> {
    const eligible = await this.repo.eligibleTechnicians(listing, PUSH_RADIUS_M, audience);
    // keep anyone pushed at an earlier radius step: they still hear grab.taken
    const ids = [...new Set([...listing.offeredTo, ...eligible.map((t) => t.id)])];
    await this.repo.setOfferedTo(listing.orderId, ids);
    await this.publishAfterCommit(
      eligible.map((t) => ({
        technicianId: t.id,
        type: 'grab.offer',
        data: offerView(listing, t.distanceM, t.commissionBps),
      })),
    );
    return ids.length;
  }

  /**
   * One message on the store's `technicians` topic (order id and time, never the winner) rather
   * than one per technician pushed: a won order would otherwise cost ~200 Redis writes, and the
   * id alone tells nobody anything about the customer.
   */
  private async announceTaken(listing: ListingRow): Promise<void> {
    const tenantId = this.tenantContext.tenantId();
    await this.hub.publish(tenantId, 'technicians', {
      type: 'grab.taken',
      data: { orderId: listing.orderId, takenAt: new Date().toISOString() },
    });
  }

  /**
   * One after-commit hook for the whole fan-out: the hook runs outside the unit of work, so each
   * publish goes out at once and ioredis pipelines them, instead of one awaited hook per technician.
   */
  private async publishAfterCommit(events: Array<{ technicianId: string; type: string; data: unknown }>) {
    if (events.length === 0) return;
    const tenantId = this.tenantContext.tenantId();
    await this.tenantContext.afterCommit(() =>
      Promise.all(
        events.map((e) => this.hub.publish(tenantId, `technician:${e.technicianId}`, { type: e.type, data: e.data })),
      ),
    );
  }
}
