import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { Prisma } from '../../generated/prisma/client';
import { PRISMA } from '../../platform/database/database.tokens';
import type { PrismaClient } from '../../platform/database/prisma';
import type { Actor } from '../../platform/auth/actor';

export type TargetStatus = 'active' | 'rejected' | 'suspended';

export interface StatusChange {
  id: string;
  slug: string;
  name: string;
  status: string;
  locale: string;
  ownerEmail: string | null;
  ownerName: string | null;
}

/** The PostgreSQL error code behind a Prisma raw-query error (driver adapter or native). */
export function pgErrorCode(e: unknown): string | undefined {
  if (!(e instanceof Prisma.PrismaClientKnownRequestError)) return undefined;
  const meta = e.meta as { code?: unknown; driverAdapterError?: { cause?: { originalCode?: unknown } } } | undefined;
  const code = meta?.driverAdapterError?.cause?.originalCode ?? meta?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * The named platform path for changing a store's status: `platform.set_tenant_status`, a
 * SECURITY DEFINER function that checks the transition, updates the row and writes the platform
 * audit entry in one statement. The app role itself cannot update `tenants.status`, and this
 * class never switches the tenant context to act on a store.
 */
@Injectable()
export class PlatformGateway {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  async setTenantStatus(
    tenantId: string,
    status: TargetStatus,
    reason: string | null,
    actor: Actor,
    ip: string | null,
  ): Promise<StatusChange> {
    try {
      const rows = await this.prisma.$queryRaw<
        Array<{
          id: string;
          slug: string;
          name: string;
          status: string;
          locale: string;
          owner_email: string | null;
          owner_name: string | null;
        }>
      >`SELECT * FROM platform.set_tenant_status(${tenantId}::uuid, ${status}, ${reason}, ${actor.kind}, ${actor.id}, ${ip}::inet)`;
      const row = rows[0];
      if (!row) throw new NotFoundException({ code: 'NOT_FOUND', message: 'store not found' });
      return {
        id: row.id,
        slug: row.slug,
        name: row.name,
        status: row.status,
        locale: row.locale,
        ownerEmail: row.owner_email,
        ownerName: row.owner_name,
      };
    } catch (e) {
      switch (pgErrorCode(e)) {
        case 'P0002':
          throw new NotFoundException({ code: 'NOT_FOUND', message: 'store not found' });
        case 'P0001':
          throw new ConflictException({ code: 'ILLEGAL_TRANSITION', message: 'this status change is not allowed' });
        case '22023':
          throw new BadRequestException({
            code: 'VALIDATION_FAILED',
            message: 'a reason is required',
            fields: [{ field: 'reason', messages: ['reason is required'] }],
          });
        default:
          throw e;
      }
    }
  }
}
