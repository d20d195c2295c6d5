import { Injectable } from '@nestjs/common';
import type { OrderEvent } from '../../generated/prisma/client';
import { TenantContext } from '../../platform/database/tenant-context';

/** The giving store's own rows of a pool order (read in that store's context, under its RLS). */
@Injectable()
export class PoolGiverEffectsRepository {
  constructor(private readonly tenantContext: TenantContext) {}

  /** The order's events of these names that this pool offer's steps wrote, oldest first. */
  poolEvents(orderId: string, offerId: string, events: readonly string[]): Promise<OrderEvent[]> {
    return this.tenantContext.db().orderEvent.findMany({
      where: { orderId, event: { in: [...events] }, details: { path: ['poolOfferId'], equals: offerId } },
      orderBy: { createdAt: 'asc' },
    });
  }
}
