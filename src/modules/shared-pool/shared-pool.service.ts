import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import type { Actor } from '../../platform/auth/actor';
import { AuditService } from '../../platform/audit/audit.service';
import { TenantContext } from '../../platform/database/tenant-context';
import { RealtimeHub } from '../../platform/realtime/realtime-hub';
import { FieldCipher } from '../../platform/crypto/field-cipher';
import { ORDER_ADDRESS_AAD } from '../orders/order-view';
import { BusyTimeService } from '../scheduling/busy-time.service';
import { roundDistanceKm } from '../grab/grab-offer';
import { callPool as pool } from './pool-errors';
import { PoolGiverFeed } from './pool-giver-feed';
import { SharedPoolRepository, type PoolActor, type PoolRole } from './shared-pool.repository';

const actorOf = (a: Actor): PoolActor => ({ type: a.kind, id: a.id });

/** How far from the offer's district point taking stores' technicians are told of it. */
const POOL_PUSH_RADIUS_M = 10_000;

/**
 * 共享订单池: escalation beyond the store. A giving store publishes a dispatching order; a taking
 * store's technician sees only service, time, district and price, claims it (one winner; the
 * claim is their acceptance), and only then — and only while the order is active — sees the
 * address and a masked phone. The trip itself: PoolWorkService.
 */
@Injectable()
export class SharedPoolService {
  constructor(
    private readonly repo: SharedPoolRepository,
    private readonly busy: BusyTimeService,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditService,
    private readonly hub: RealtimeHub,
    private readonly tenantContext: TenantContext,
    private readonly giver: PoolGiverFeed,
  ) {}

  // ---- platform operators ----
  async settings() {
    const s = await this.repo.settings();
    return { sharedPoolEnabled: s.sharedPoolEnabled, poolTakerShareBps: s.poolTakerShareBps, updatedAt: s.updatedAt };
  }

  async updateSettings(actor: Actor, patch: { sharedPoolEnabled?: boolean; poolTakerShareBps?: number }, ip?: string) {
    await this.repo.updateSettings(patch, actor.id);
    await this.audit.recordPlatform({
      actorType: 'operator',
      actorId: actor.id,
      action: 'platform.settings.shared_pool',
      targetType: 'platform_settings',
      ip,
      details: patch,
    });
    return this.settings();
  }

  // ---- the store ----
  async participation(): Promise<{ role: PoolRole }> {
    return { role: await this.repo.role() };
  }

  /**
   * Publishes, then tells on-duty technicians of taking stores nearby (each on their own store's
   * `technician:{id}` topic, after commit) with the offer's minimum: never the giving store.
   */
  publish(actor: Actor, orderId: string) {
    return this.publishAs(actorOf(actor), orderId);
  }

  /** The platform pool is on (the store's own role: its dispatch settings). */
  async enabled(): Promise<boolean> {
    return (await this.repo.settings()).sharedPoolEnabled;
  }

  /** Staff (publish) or the dispatch engine (the system, after the last radius step). */
  async publishAs(who: PoolActor, orderId: string) {
    const p = await pool(() => this.repo.publish(orderId, who));
    if (p.status === 'open') {
      const takers = await this.repo.takersNear(p.offerId, POOL_PUSH_RADIUS_M, who);
      await this.tenantContext.afterCommit(() =>
        Promise.all(
          takers.map((t) =>
            this.hub.publish(t.tenantId, `technician:${t.technicianId}`, {
              type: 'pool.offer',
              data: {
                offerId: p.offerId,
                serviceName: p.serviceName,
                durationMinutes: p.durationMinutes,
                startAt: p.startAt.toISOString(),
                area: { lat: p.areaLat, lng: p.areaLng },
                distanceKm: roundDistanceKm(t.distanceM),
                priceFen: p.priceFen,
                earningFen: p.takerShareFen,
              },
            }),
          ),
        ),
      );
    }
    return { offerId: p.offerId, status: p.status, takerShareFen: p.takerShareFen };
  }

  // ---- a taking store's technician ----
  async nearMe(actor: Actor, q: { lat: number; lng: number; radius: number }) {
    requireTechnician(actor);
    const rows = await this.repo.near(q.lat, q.lng, q.radius, actorOf(actor));
    return rows.map((r) => ({
      offerId: r.offerId,
      serviceName: r.serviceName,
      durationMinutes: r.durationMinutes,
      startAt: r.startAt.toISOString(),
      area: { lat: r.areaLat, lng: r.areaLng },
      distanceKm: roundDistanceKm(r.distanceM),
      priceFen: r.priceFen,
      earningFen: r.takerShareFen,
    }));
  }

  async claim(actor: Actor, offerId: string) {
    requireTechnician(actor);
    const claimed = await pool(() => this.repo.claim(offerId, actor.id, actorOf(actor)));
    // The technician's own store's busy time: SLOT_TAKEN rolls the claim back with it.
    await this.busy.hold(actor.id, { start: claimed.startAt, end: claimed.endAt }, 'booking', {
      referenceId: claimed.offerId,
      location: { lat: claimed.areaLat, lng: claimed.areaLng },
      note: 'shared pool',
    });
    await this.giver.statusChanged(claimed, [
      { event: 'assign', from: 'dispatching', to: 'assigned' },
      { event: 'accept', from: 'assigned', to: 'accepted' },
    ]);
    await this.giver.takenFromHall(claimed);
    await this.giver.effects(claimed, claimed.offerId, 'claim');
    return {
      offerId: claimed.offerId,
      status: 'taken',
      startAt: claimed.startAt.toISOString(),
      earningFen: claimed.takerShareFen,
    };
  }

  /** The address and masked phone, to the holder only, only while the order is active. */
  async contact(actor: Actor, offerId: string) {
    requireTechnician(actor);
    const row = await this.repo.contact(offerId, actor.id, actorOf(actor));
    if (!row) throw new NotFoundException({ code: 'NOT_FOUND', message: 'not found' });
    const address = JSON.parse(
      this.cipher.decrypt(Buffer.from(row.addressEnc), ORDER_ADDRESS_AAD(row.givingTenantId)),
    ) as { addressText: string; houseNumber: string };
    return {
      offerId,
      orderStatus: row.orderStatus,
      addressText: address.addressText,
      houseNumber: address.houseNumber,
      location: { lat: row.addressLat, lng: row.addressLng },
      phoneMasked: row.contactPhoneMasked,
    };
  }

  async held(actor: Actor) {
    requireTechnician(actor);
    const rows = await this.repo.held(actor.id);
    return rows.map(({ takerShareFen, startAt, ...r }) => ({
      ...r,
      startAt: startAt.toISOString(),
      earningFen: takerShareFen,
    }));
  }
}

function requireTechnician(actor: Actor): void {
  if (actor.kind !== 'technician') {
    throw new ForbiddenException({ code: 'TECHNICIANS_ONLY', message: 'only technicians take pool offers' });
  }
}
