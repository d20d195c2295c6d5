import { ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { APP_CONFIG } from '../../config/load-config';
import type { AppConfig } from '../../config/config.schema';
import type { Actor } from '../../platform/auth/actor';
import { RealtimeHub } from '../../platform/realtime/realtime-hub';
import { insideGeofence } from '../technician-work/geofence';
import { outsideGeofence } from '../technician-work/geofence-error';
import { callPool } from './pool-errors';
import { PoolGiverFeed } from './pool-giver-feed';
import { PoolSettlementService } from './pool-settlement.service';
import { PoolWorkRepository, type PoolStepEvent } from './pool-work.repository';
import { SharedPoolRepository, type PoolActor } from './shared-pool.repository';

export type PoolStep = 'depart' | 'start' | 'complete';
const EVENT: Record<PoolStep, PoolStepEvent> = { depart: 'depart', start: 'start_service', complete: 'complete' };

export interface PoolOrderProgress {
  offerId: string;
  orderStatus: string;
}

const actorOf = (a: Actor): PoolActor => ({ type: a.kind, id: a.id });

/**
 * The holder's trip on a shared-pool order of another store — 出发 → 到达签到 (geofenced against
 * the address only the holder may read) → 开始服务 → 加钟 (proposed; the giving store's customer
 * confirms it there) → 完成签退 (and 结算 in both ledgers, PoolSettlementService) — each step one
 * audited platform function on the giving store's order, never an act as that store. Its customer, the order and its staff hear each step live
 * (PoolGiverFeed). No accept step: the claim was the acceptance.
 */
@Injectable()
export class PoolWorkService {
  constructor(
    private readonly repo: PoolWorkRepository,
    private readonly pool: SharedPoolRepository,
    private readonly giver: PoolGiverFeed,
    private readonly settlement: PoolSettlementService,
    private readonly hub: RealtimeHub,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  step(actor: Actor, offerId: string, step: PoolStep): Promise<PoolOrderProgress> {
    return this.apply(actor, offerId, EVENT[step], {});
  }

  async arrive(actor: Actor, offerId: string, at: { lat: number; lng: number }): Promise<PoolOrderProgress> {
    requireTechnician(actor);
    const held = await this.pool.contact(offerId, actor.id, actorOf(actor));
    if (!held) throw notFound();
    const radius = this.config.CHECKIN_GEOFENCE_M;
    const fence = insideGeofence(at, { lat: held.addressLat, lng: held.addressLng }, radius);
    if (!fence.inside) throw outsideGeofence(fence.distanceM, radius);
    return this.apply(actor, offerId, 'arrive', { lat: at.lat, lng: at.lng, distanceM: fence.distanceM });
  }

  async proposeExtension(actor: Actor, offerId: string, units: number) {
    requireTechnician(actor);
    const ext = await callPool(() => this.repo.proposeExtension(offerId, actor.id, units, actorOf(actor)));
    const view = { id: ext.extensionId, orderId: ext.orderId, minutes: ext.minutes, amountFen: ext.amountFen };
    // the giving store's customer is asked live, as for any 加钟 (ExtensionsService.propose)
    await this.hub.publish(ext.givingTenantId, `customer:${ext.customerId}`, {
      type: 'order.extension_proposed',
      data: { ...view, status: 'proposed', orderNo: ext.orderNo },
    });
    return { id: ext.extensionId, offerId, minutes: ext.minutes, amountFen: ext.amountFen, status: 'proposed' };
  }

  private async apply(actor: Actor, offerId: string, event: PoolStepEvent, details: Record<string, number>) {
    requireTechnician(actor);
    const row = await callPool(() => this.repo.step(offerId, actor.id, event, details, actorOf(actor)));
    // completed: both stores' ledgers in the same transaction (no completion without its settlement)
    if (event === 'complete') await this.settlement.settle(offerId, actor.id, actorOf(actor));
    await this.giver.statusChanged(row, [{ event, from: row.fromStatus, to: row.toStatus }]);
    await this.giver.effects(row, offerId, event);
    return { offerId, orderStatus: row.toStatus };
  }
}

const notFound = () => new NotFoundException({ code: 'NOT_FOUND', message: 'not found' });

function requireTechnician(actor: Actor): void {
  if (actor.kind !== 'technician') {
    throw new ForbiddenException({ code: 'TECHNICIANS_ONLY', message: 'only technicians work pool orders' });
  }
}
