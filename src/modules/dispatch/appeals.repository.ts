import { Injectable } from '@nestjs/common';
import type { CustomerTechnicianBlock, DispatchAppeal, Prisma } from '../../generated/prisma/client';
import { TenantContext } from '../../platform/database/tenant-context';

/** Appeals and customers' block lists (Prisma access for those two tables). */
@Injectable()
export class AppealsRepository {
  constructor(private readonly tenantContext: TenantContext) {}

  private get db() {
    return this.tenantContext.db();
  }
  private get tenantId() {
    return this.tenantContext.tenantId();
  }

  createAppeal(data: { orderId: string; technicianId: string; text: string }): Promise<DispatchAppeal> {
    return this.db.dispatchAppeal.create({ data: { tenantId: this.tenantId, ...data } });
  }

  appeals(where: Prisma.DispatchAppealWhereInput): Promise<DispatchAppeal[]> {
    return this.db.dispatchAppeal.findMany({
      where: { AND: [{ tenantId: this.tenantId }, where] },
      orderBy: { createdAt: 'asc' },
      take: 200,
    });
  }

  appeal(id: string): Promise<DispatchAppeal | null> {
    return this.db.dispatchAppeal.findUnique({ where: { tenantId_id: { tenantId: this.tenantId, id } } });
  }

  /** Resolves an open appeal; null when it was not open. */
  async resolve(id: string, reply: string, staffId: string): Promise<DispatchAppeal | null> {
    const r = await this.db.dispatchAppeal.updateMany({
      where: { tenantId: this.tenantId, id, status: 'open' },
      data: { status: 'resolved', reply, resolvedBy: staffId, resolvedAt: new Date() },
    });
    return r.count > 0 ? this.appeal(id) : null;
  }

  blocks(customerId: string): Promise<CustomerTechnicianBlock[]> {
    return this.db.customerTechnicianBlock.findMany({
      where: { tenantId: this.tenantId, customerId },
      orderBy: { createdAt: 'asc' },
    });
  }

  async addBlock(customerId: string, technicianId: string, reason: string | null): Promise<CustomerTechnicianBlock> {
    await this.db.$executeRaw`
      INSERT INTO customer_technician_blocks (tenant_id, customer_id, technician_id, reason)
      VALUES (${this.tenantId}::uuid, ${customerId}::uuid, ${technicianId}::uuid, ${reason})
      ON CONFLICT (tenant_id, customer_id, technician_id) DO NOTHING`;
    return this.db.customerTechnicianBlock.findUniqueOrThrow({
      where: { tenantId_customerId_technicianId: { tenantId: this.tenantId, customerId, technicianId } },
    });
  }

  async removeBlock(customerId: string, technicianId: string): Promise<boolean> {
    const r = await this.db.customerTechnicianBlock.deleteMany({
      where: { tenantId: this.tenantId, customerId, technicianId },
    });
    return r.count > 0;
  }

  async technicianExists(id: string): Promise<boolean> {
    const t = await this.db.technician.findFirst({
      where: { tenantId: this.tenantId, id, status: { in: ['approved', 'disabled'] } },
      select: { id: true },
    });
    return t !== null;
  }
}
