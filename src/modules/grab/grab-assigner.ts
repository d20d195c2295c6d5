import { Injectable } from '@nestjs/common';
import type { Order } from '../../generated/prisma/client';
import type { OrderActor } from '../orders/order-actor';
import { AssignmentService } from '../dispatch/assignment.service';
import { OrderTransitions } from '../orders/order-transitions.service';
import { BusyTimeService } from '../scheduling/busy-time.service';

/**
 * Gives a dispatching order to the technician who claimed it, inside the caller's unit of work:
 * holds their busy time (SlotTakenError → 409 SLOT_TAKEN when they are booked then) and moves the
 * order to `assigned` and, the claim being their acceptance, on to `accepted` (an `accept` event,
 * reason `claimed`). Provided by DispatchGrabAssigner (dispatch's AssignmentService: also writes the
 * dispatch log and withdraws open offers); LocalGrabAssigner does the bare minimum without it.
 */
export interface GrabAssigner {
  /**
   * Called after the claim's take, which checked that the technician is approved, online and not
   * disabled in this unit of work.
   */
  assign(
    orderId: string,
    technicianId: string,
    opts: { via: 'grab'; actor: OrderActor; reason: string },
  ): Promise<Order>;
  /**
   * The lock that comes before the listing's (src/modules/dispatch/README.md, "Lock order"),
   * taken without waiting: false while another unit of work holds it.
   */
  lockFirst(orderId: string): Promise<boolean>;
}

export const GRAB_ASSIGNER = Symbol('GRAB_ASSIGNER');

@Injectable()
export class LocalGrabAssigner implements GrabAssigner {
  constructor(
    private readonly transitions: OrderTransitions,
    private readonly busy: BusyTimeService,
  ) {}

  /** Without dispatch there is no run: the listing is the first lock. */
  lockFirst(): Promise<boolean> {
    return Promise.resolve(true);
  }

  async assign(orderId: string, technicianId: string, opts: { via: 'grab'; actor: OrderActor; reason: string }) {
    const order = await this.transitions.lock(orderId);
    if (!order) return this.transitions.apply(orderId, 'assign', opts.actor, opts.reason);
    const hold = await this.busy.hold(technicianId, { start: order.startAt, end: order.endAt }, 'booking', {
      referenceId: order.id,
      location: { lat: order.addressLat, lng: order.addressLng },
    });
    const assigned = await this.transitions.apply(orderId, 'assign', opts.actor, opts.reason, {
      locked: order,
      patch: { technicianId, holdId: hold.id },
      details: { via: opts.via, technicianId },
    });
    return this.transitions.apply(orderId, 'accept', opts.actor, 'claimed', {
      locked: assigned,
      details: { via: opts.via },
    });
  }
}

@Injectable()
export class DispatchGrabAssigner implements GrabAssigner {
  constructor(private readonly assignment: AssignmentService) {}

  lockFirst(orderId: string): Promise<boolean> {
    return this.assignment.tryLockRun(orderId);
  }

  assign(orderId: string, technicianId: string, opts: { via: 'grab'; actor: OrderActor; reason: string }) {
    // lockFirst took the run lock in this unit of work (the claim's first lock)
    // and the claim's take checked the technician (approved, online, not disabled) under the listing lock
    return this.assignment.assign(orderId, technicianId, {
      ...opts,
      accepted: true,
      runLocked: true,
      technicianChecked: true,
    });
  }
}
