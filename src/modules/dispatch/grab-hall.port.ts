import type { Order } from '../../generated/prisma/client';

/**
 * The seam to the grab hall (抢单, src/modules/grab): dispatch decides *when* an order opens for
 * grabbing and *who* may see it; the grab module provides this token to push it to them and to
 * take claims (which end in AssignmentService.assign(…, { via: 'grab' })). Without a provider,
 * dispatch pushes a plain `grab.open` event to each eligible technician's topic.
 */
export const GRAB_HALL = Symbol('GRAB_HALL');

export interface GrabAudience {
  technicianIds: string[];
  radiusM: number;
  stepIndex: number;
}

export interface GrabHallPort {
  open(order: Order, audience: GrabAudience): Promise<void>;
}
