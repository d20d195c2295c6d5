import { Injectable } from '@nestjs/common';
import type { Prisma } from '../../generated/prisma/client';
import { TenantContext } from '../../platform/database/tenant-context';

const TIER = { id: true, code: true, name: true, commissionBps: true, sort: true } as const;
export type TierRow = Prisma.TechnicianTierGetPayload<{ select: typeof TIER }>;

@Injectable()
export class TechnicianTiersRepository {
  constructor(private readonly tenantContext: TenantContext) {}

  list(where: Prisma.TechnicianTierWhereInput): Promise<TierRow[]> {
    const tenantId = this.tenantContext.tenantId();
    return this.tenantContext.db().technicianTier.findMany({
      where: { AND: [{ tenantId }, where] },
      select: TIER,
      orderBy: [{ sort: 'asc' }, { code: 'asc' }],
    });
  }

  findOne(where: Prisma.TechnicianTierWhereInput, id: string): Promise<TierRow | null> {
    const tenantId = this.tenantContext.tenantId();
    return this.tenantContext
      .db()
      .technicianTier.findFirst({ where: { AND: [{ tenantId, id }, where] }, select: TIER });
  }

  async codeTaken(code: string): Promise<boolean> {
    const tenantId = this.tenantContext.tenantId();
    return (await this.tenantContext.db().technicianTier.count({ where: { tenantId, code } })) > 0;
  }

  create(data: { code: string; name: string; commissionBps: number; sort?: number }): Promise<TierRow> {
    return this.tenantContext.db().technicianTier.create({
      data: { ...data, tenantId: this.tenantContext.tenantId() },
      select: TIER,
    });
  }

  async update(
    where: Prisma.TechnicianTierWhereInput,
    id: string,
    data: { name?: string; commissionBps?: number; sort?: number },
  ): Promise<TierRow | null> {
    const tenantId = this.tenantContext.tenantId();
    const db = this.tenantContext.db();
    const { count } = await db.technicianTier.updateMany({ where: { AND: [{ tenantId, id }, where] }, data });
    return count === 0 ? null : db.technicianTier.findFirst({ where: { tenantId, id }, select: TIER });
  }

  async inUse(id: string): Promise<number> {
    const tenantId = this.tenantContext.tenantId();
    return this.tenantContext.db().technician.count({ where: { tenantId, tierId: id } });
  }

  async delete(where: Prisma.TechnicianTierWhereInput, id: string): Promise<boolean> {
    const tenantId = this.tenantContext.tenantId();
    const { count } = await this.tenantContext
      .db()
      .technicianTier.deleteMany({ where: { AND: [{ tenantId, id }, where] } });
    return count === 1;
  }
}
