import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import type { Order } from '../../generated/prisma/client';
import { TenantContext } from '../../platform/database/tenant-context';
import { RealtimeHub } from '../../platform/realtime/realtime-hub';
import type { OrderActor } from '../orders/order-actor';
import { OrderTransitions } from '../orders/order-transitions.service';
import { BusyTimeService } from '../scheduling/busy-time.service';
import { DispatchRepository } from './dispatch.repository';
import { DEFAULT_DISPATCH_SETTINGS } from './dispatch-settings';

export type AssignVia = 'auto' | 'grab' | 'manual' | 'pool';

export interface AssignOptions {
  via: AssignVia;
  actor: OrderActor;
  reason?: string | null;
  /** the offer the technician accepted (auto) */
  offerId?: string;
  /** the technician already agreed (accepted an offer, claimed in the grab hall): go on to `accepted` */
  accepted?: boolean;
  /** the caller took the order's run lock in this unit of work (tryLockRun): the run exists and is held */
  runLocked?: boolean;
  /**
   * the caller checked in this unit of work that the technician is approved and not disabled
   * (a grab claim's take does): not looked up again
   */
  technicianChecked?: boolean;
}

const ASSIGNABLE = ['paid', 'dispatching'];
const REASSIGNABLE = ['assigned', 'accepted'];

export const orderNotFound = () => new NotFoundException({ code: 'ORDER_NOT_FOUND', message: 'order not found' });

/**
 * The one way an order gets its technician, whatever decided it (auto offer, grab claim, staff,
 * shared pool): takes the order's dispatch-run lock, then the order's row lock, holds the
 * technician's busy time (the EXCLUDE constraint refuses an overlap → 409 SLOT_TAKEN), applies
 * the `assign` transition, withdraws any open offer and writes the dispatch log — one
 * transaction. Callers may hold the run lock (tryLockRun) and the grab listing before calling,
 * never the order (README.md, "Lock order": run → listing → order → the order's rows).
 */
@Injectable()
export class AssignmentService {
  constructor(
    private readonly repo: DispatchRepository,
    private readonly transitions: OrderTransitions,
    private readonly busy: BusyTimeService,
    private readonly hub: RealtimeHub,
    private readonly tenantContext: TenantContext,
  ) {}

  /** The run lock without waiting (grab claims take it before the listing); false while held elsewhere. */
  async tryLockRun(orderId: string): Promise<boolean> {
    return this.repo.tryLockRun(orderId, DEFAULT_DISPATCH_SETTINGS.mode);
  }

  async assign(orderId: string, technicianId: string, opts: AssignOptions): Promise<Order> {
    if (!opts.runLocked) {
      if (!(await this.repo.orderExists(orderId))) throw orderNotFound();
      await this.repo.lockRun(orderId, (await this.repo.settings()).mode);
    }
    if (!opts.technicianChecked) await this.assertAssignable(technicianId);
    const order = await this.transitions.lock(orderId);
    if (!order) throw orderNotFound();
    if (!ASSIGNABLE.includes(order.status)) {
      throw new ConflictException({ code: 'ORDER_NOT_ASSIGNABLE', message: `订单状态 ${order.status} 不能派单` });
    }
    const hold = await this.moveHold(order, technicianId);
    let updated = await this.transitions.apply(orderId, 'assign', opts.actor, opts.reason ?? null, {
      locked: order,
      patch: { technicianId, holdId: hold.id },
      details: { via: opts.via, ...(opts.offerId ? { offerId: opts.offerId } : {}) },
    });
    if (opts.accepted) {
      // a grab claim is the technician's own choice: the claim is the acceptance (README.md)
      const claimed = opts.via === 'grab' ? { reason: 'claimed', details: { via: 'grab' } } : null;
      updated = await this.transitions.apply(orderId, 'accept', opts.actor, claimed?.reason ?? null, {
        locked: updated,
        ...(claimed ? { details: claimed.details } : {}),
      });
    }
    // open offers withdrawn and logged, the run ended and the assignment logged: one statement
    const withdrawn = await this.repo.assigned(
      {
        orderId,
        kind: 'assigned',
        technicianId,
        reasonCode: opts.via,
        details: { via: opts.via, reason: opts.reason ?? null, offerId: opts.offerId ?? null },
        actorType: opts.actor.type,
        actorId: opts.actor.id,
      },
      opts.offerId ?? null,
    );
    for (const o of withdrawn) {
      await this.hub.publish(this.tenantContext.tenantId(), `technician:${o.technicianId}`, {
        type: 'offer.withdrawn',
        data: { offerId: o.id, orderId },
      });
    }
    await this.notify(updated, technicianId, 'assigned');
    return updated;
  }

  /** 转派: another technician; the old hold is released and the new one taken in one transaction. */
  async reassign(orderId: string, technicianId: string, opts: { actor: OrderActor; reason: string }): Promise<Order> {
    if (!(await this.repo.orderExists(orderId))) throw orderNotFound();
    await this.assertAssignable(technicianId);
    const settings = await this.repo.settings();
    await this.repo.lockRun(orderId, settings.mode);
    const order = await this.transitions.lock(orderId);
    if (!order) throw orderNotFound();
    if (!REASSIGNABLE.includes(order.status)) {
      throw new ConflictException({ code: 'ORDER_NOT_REASSIGNABLE', message: `订单状态 ${order.status} 不能转派` });
    }
    if (order.technicianId === technicianId) {
      throw new BadRequestException({
        code: 'SAME_TECHNICIAN',
        message: 'the order is already with this technician',
        fields: [{ field: 'technicianId', messages: ['已是该技师 / already assigned to this technician'] }],
      });
    }
    const hold = await this.moveHold(order, technicianId);
    const updated = await this.transitions.apply(orderId, 'reassign', opts.actor, opts.reason, {
      locked: order,
      patch: { technicianId, holdId: hold.id },
      details: { fromTechnicianId: order.technicianId },
    });
    await this.repo.updateRun(orderId, { state: 'assigned' });
    await this.repo.log([
      {
        orderId,
        kind: 'reassigned',
        technicianId,
        reasonCode: 'manual',
        details: { reason: opts.reason, fromTechnicianId: order.technicianId },
        actorType: opts.actor.type,
        actorId: opts.actor.id,
      },
    ]);
    if (order.technicianId) {
      await this.hub.publish(this.tenantContext.tenantId(), `technician:${order.technicianId}`, {
        type: 'order.reassigned',
        data: { orderId },
      });
    }
    await this.notify(updated, technicianId, 'reassigned');
    return updated;
  }

  /** Releases the order's old hold and takes the new one (one statement; an overlap fails the assignment). */
  private moveHold(order: Order, technicianId: string) {
    return this.busy.moveByReference(technicianId, { start: order.startAt, end: order.endAt }, 'booking', {
      referenceId: order.id,
      location: { lat: order.addressLat, lng: order.addressLng },
    });
  }

  private async assertAssignable(technicianId: string): Promise<void> {
    const t = await this.tenantContext.db().technician.findUnique({
      where: { tenantId_id: { tenantId: this.tenantContext.tenantId(), id: technicianId } },
      select: { status: true, disabledAt: true },
    });
    if (!t) {
      throw new NotFoundException({
        code: 'TECHNICIAN_NOT_FOUND',
        message: 'technician not found',
        fields: [{ field: 'technicianId', messages: ['技师不存在 / no such technician'] }],
      });
    }
    if (t.status !== 'approved' || t.disabledAt) {
      throw new ConflictException({ code: 'TECHNICIAN_NOT_ASSIGNABLE', message: '技师未通过审核或已停用' });
    }
  }

  private async notify(order: Order, technicianId: string, type: string): Promise<void> {
    const tenantId = this.tenantContext.tenantId();
    const data = { orderId: order.id, orderNo: order.orderNo, technicianId, status: order.status };
    await this.hub.publish(tenantId, `technician:${technicianId}`, { type: `order.${type}`, data });
    await this.hub.publish(tenantId, 'staff', { type: `dispatch.${type}`, data });
  }
}
