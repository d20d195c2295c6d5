import { Inject, Injectable } from '@nestjs/common';
import { Prisma } from '../../generated/prisma/client';
import { PRISMA } from '../database/database.tokens';
import type { PrismaClient } from '../database/prisma';
import { TenantContext } from '../database/tenant-context';

export interface AuditEntry {
  actorType: 'operator' | 'staff' | 'customer' | 'technician' | 'system' | 'anonymous';
  actorId?: string | null;
  /** dotted verb, e.g. `auth.sign_in`, `auth.sign_in_failed`, `staff.role_changed`, `tenant.approved` */
  action: string;
  targetType?: string;
  targetId?: string;
  ip?: string | null;
  details?: Record<string, unknown>;
}

/**
 * Append-only audit trail. Inside a tenant context the entry goes to the store's `audit_events`
 * (same transaction as the change it records); outside, to `platform_audit_events`. The app role
 * can insert and read these tables, never update or delete them.
 */
@Injectable()
export class AuditService {
  constructor(
    private readonly tenantContext: TenantContext,
    @Inject(PRISMA) private readonly prisma: PrismaClient,
  ) {}

  async record(entry: AuditEntry): Promise<void> {
    const data = {
      actorType: entry.actorType,
      actorId: entry.actorId ?? null,
      action: entry.action,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      ip: entry.ip ?? null,
      details: (entry.details ?? {}) as Prisma.InputJsonValue,
    };
    if (this.tenantContext.hasContext()) {
      await this.tenantContext.db().auditEvent.create({ data: { ...data, tenantId: this.tenantContext.tenantId() } });
    } else {
      await this.prisma.platformAuditEvent.create({ data });
    }
  }

  /** A platform-level entry about one store (e.g. an operator's action on it). */
  async recordPlatform(entry: AuditEntry & { targetTenantId?: string }): Promise<void> {
    const { targetTenantId, ...rest } = entry;
    await this.prisma.platformAuditEvent.create({
      data: {
        actorType: rest.actorType,
        actorId: rest.actorId ?? null,
        action: rest.action,
        targetTenantId: targetTenantId ?? null,
        targetType: rest.targetType ?? null,
        targetId: rest.targetId ?? null,
        ip: rest.ip ?? null,
        details: (rest.details ?? {}) as Prisma.InputJsonValue,
      },
    });
  }
}
