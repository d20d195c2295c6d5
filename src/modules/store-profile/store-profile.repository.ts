import { Injectable } from '@nestjs/common';
import type { Prisma, StoreProfile, Tenant } from '../../generated/prisma/client';
import { TenantContext } from '../../platform/database/tenant-context';

export type StoreProfileWrite = Omit<Prisma.StoreProfileUncheckedCreateInput, 'tenantId' | 'createdAt' | 'updatedAt'>;
export type BrandingWrite = Partial<Pick<Tenant, 'name' | 'displayName' | 'themeColor' | 'logoUrl' | 'address'>>;

/** The only file of this module that touches Prisma; always inside the request's store context. */
@Injectable()
export class StoreProfileRepository {
  constructor(private readonly tenantContext: TenantContext) {}

  findProfile(): Promise<StoreProfile | null> {
    return this.tenantContext.db().storeProfile.findUnique({ where: { tenantId: this.tenantContext.tenantId() } });
  }

  findTenant(): Promise<Tenant | null> {
    return this.tenantContext.db().tenant.findUnique({ where: { id: this.tenantContext.tenantId() } });
  }

  /** Row lock so two owners editing at once apply their patches one after the other. */
  async lockProfile(): Promise<void> {
    await this.tenantContext.db()
      .$queryRaw`SELECT 1 FROM store_profiles WHERE tenant_id = ${this.tenantContext.tenantId()}::uuid FOR UPDATE`;
  }

  upsertProfile(data: StoreProfileWrite): Promise<StoreProfile> {
    const tenantId = this.tenantContext.tenantId();
    return this.tenantContext.db().storeProfile.upsert({
      where: { tenantId },
      create: { ...data, tenantId },
      update: data,
    });
  }

  updateTenant(data: BrandingWrite): Promise<Tenant> {
    return this.tenantContext.db().tenant.update({ where: { id: this.tenantContext.tenantId() }, data });
  }
}
