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
const notAssignable = () =>
  new ConflictException({ code: 'TECHNICIAN_NOT_ASSIGNABLE', message: '技师未通过审核或已停用' });
const notFound = () => new NotFoundException({ code: 'ORDER_NOT_FOUND', message: 'order not found' });

/**
 * 抢单 grab hall. `open` lists a dispatching order and pushes it to each eligible technician's own
 * topic (nobody hears of orders they could not take); `claim` is one conditional UPDATE, the
 * busy-time hold and the transition in one unit of work, so exactly one technician wins; every
 * connected technician of the store hears `grab.taken` (order and time, never the winner).
 */
@Injectable()
export class GrabService implements OnModuleInit {
  /**
   * The claim in flight per order in this process (others of the same order wait on it): resolves
   * true as soon as it committed a win, false when it did not win (busy, refused, failed).
   */
  private readonly inflight = new Map<string, Promise<boolean>>();
  /** Orders a claim in this process is assigning right now: the listing is already taken by it. */
  private readonly taking = new Set<string>();

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
        // A grab claim's own assignment: its take already moved the listing out of `open`.
        if (status === 'assigned' && this.taking.has(`${this.tenantContext.tenantId()}:${order.id}`)) return;
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
   * and look again (the one-statement pre-check first), so losers never sit on pooled connections
   * behind the winner.
   */
  async claim(actor: Actor, tenantId: string, orderId: string): Promise<ClaimResult> {
    // Same answers, same order as claimOnce, without its transaction for the (many) losers.
    assertTechnician(actor);
    await this.lookFirst(tenantId, orderId, actor.id);
    const deadline = Date.now() + CLAIM_WAIT_MS;
    let backoffMs = 4;
    for (;;) {
      const key = `${tenantId}:${orderId}`;
      const ahead = this.inflight.get(key);
      if (ahead) {
        // a committed win is final; a claim that did not win lets the next one try
        if (await ahead) throw alreadyTaken();
        continue;
      }
      let settle!: (won: boolean) => void;
      const won = new Promise<boolean>((resolve) => (settle = resolve));
      this.inflight.set(key, won);
      try {
        const result = await this.tenantContext.run(tenantId, () => this.claimOnce(actor, orderId, settle));
        if (result !== 'busy') return result;
      } finally {
        // out of the map before waiters wake, so a refused claim's waiters take their own turn
        if (this.inflight.get(key) === won) this.inflight.delete(key);
        settle(false); // no-op when the commit already settled it as a win
      }
      if (Date.now() > deadline) throw alreadyTaken();
      await new Promise((r) => setTimeout(r, backoffMs + Math.random() * backoffMs));
      backoffMs = Math.min(backoffMs * 2, 50);
      // one statement before another transaction: the claim in flight elsewhere has most likely won
      await this.lookFirst(tenantId, orderId, actor.id);
    }
  }

  /** The pre-check, one statement (peekSql): throws what a claim would answer now, if anything. */
  private async lookFirst(tenantId: string, orderId: string, technicianId: string): Promise<void> {
    const pre = GrabRepository.claimPrecheckOf(
      (await this.tenantContext.peekSql(tenantId, GrabRepository.CLAIM_PRECHECK, [orderId, technicianId]))[0],
    );
    if (!pre.onDuty) throw notOnDuty();
    if (pre.listing === null) throw notFound();
    if (pre.listing !== 'open') throw alreadyTaken();
  }

  /**
   * Locks in the dispatch order (src/modules/dispatch/README.md): the order's dispatch run, then
   * the listing, then (in assign) the order — both first locks without waiting, so a claim never
   * queues behind a widen, an offer step or another claim while holding anything they need.
   * `settle(true)` runs first thing after a winning commit, before the win's other after-commit
   * work (realtime fan-out), so claims queued behind this one get their 409 at once.
   */
  private async claimOnce(
    actor: Actor,
    orderId: string,
    settle: (won: boolean) => void,
  ): Promise<ClaimResult | 'busy'> {
    let won = false;
    await this.tenantContext.afterCommit(() => won && settle(true));
    if (!(await this.assigner.lockFirst(orderId))) return 'busy';
    // takes the listing (and checks the claimant) under its lock; SKIP LOCKED: never waits
    const taken = await this.repo.take(orderId, actor.id);
    if (!taken) {
      const why = await this.repo.whyNotTaken(orderId, actor.id);
      if (!why.onDuty) throw notOnDuty();
      if (why.disabled) throw notAssignable();
      if (why.status === null) throw notFound();
      if (why.status !== 'open' || !why.ahead) throw alreadyTaken(); // taken, closed, or its start has passed
      return 'busy'; // another claim holds the listing
    }
    // SLOT_TAKEN (busy then) or an order no longer dispatching throws: this unit of work rolls
    // back, so the listing is open again for the others.
    const who = orderActorOf(actor);
    const key = `${this.tenantContext.tenantId()}:${orderId}`;
    this.taking.add(key);
    let order: Order;
    try {
      // entering `assigned` also closes the order's shared-pool offer (shared-pool's PoolOrderHooks)
      order = await this.assigner.assign(orderId, actor.id, { via: 'grab', actor: who, reason: 'grab' });
    } finally {
      this.taking.delete(key);
    }
    await this.announceTaken(taken);
    won = true;
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
