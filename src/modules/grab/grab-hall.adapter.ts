import { Injectable } from '@nestjs/common';
import type { Order } from '../../generated/prisma/client';
import type { GrabAudience, GrabHallPort } from '../dispatch/grab-hall.port';
import { GrabService } from './grab.service';

/**
 * Dispatch's GRAB_HALL seam: dispatch decides when an order opens and who may see it (its
 * eligibility and ranking); the grab hall lists it and pushes it to exactly that audience.
 */
@Injectable()
export class GrabHallAdapter implements GrabHallPort {
  constructor(private readonly grab: GrabService) {}

  async open(order: Order, audience: GrabAudience): Promise<void> {
    await this.grab.openFor(order, audience.technicianIds);
  }
}
