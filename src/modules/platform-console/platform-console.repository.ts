import { Inject, Injectable } from '@nestjs/common';
import type { PlatformAuditEvent, Tenant, TenantApplication } from '../../generated/prisma/client';
import { PRISMA } from '../../platform/database/database.tokens';
import type { PrismaClient } from '../../platform/database/prisma';

export interface Page {
  page: number;
  pageSize: number;
}

/** Reads of platform tables only (tenants are public; applications and audit are platform-wide). */
@Injectable()
export class PlatformConsoleRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  async listTenants(status: string | undefined, p: Page): Promise<{ items: Tenant[]; total: number }> {
    const where = status ? { status } : {};
    const [items, total] = await Promise.all([
      this.prisma.tenant.findMany({
        where,
        orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
        skip: (p.page - 1) * p.pageSize,
        take: p.pageSize,
      }),
      this.prisma.tenant.count({ where }),
    ]);
    return { items, total };
  }

  findTenant(id: string): Promise<Tenant | null> {
    return this.prisma.tenant.findUnique({ where: { id } });
  }

  /** The sign-up that created a store, if it came through sign-up (demo stores did not). */
  findApplicationOf(tenantId: string): Promise<TenantApplication | null> {
    return this.prisma.tenantApplication.findFirst({ where: { tenantId }, orderBy: { createdAt: 'desc' } });
  }

  async listAudit(
    filter: { tenantId?: string; action?: string },
    p: Page,
  ): Promise<{ items: PlatformAuditEvent[]; total: number }> {
    const where = {
      ...(filter.tenantId ? { targetTenantId: filter.tenantId } : {}),
      ...(filter.action ? { action: { startsWith: filter.action } } : {}),
    };
    const [items, total] = await Promise.all([
      this.prisma.platformAuditEvent.findMany({
        where,
        orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
        skip: (p.page - 1) * p.pageSize,
        take: p.pageSize,
      }),
      this.prisma.platformAuditEvent.count({ where }),
    ]);
    return { items, total };
  }
}
