import { Injectable } from '@nestjs/common';
import type { CustomerAddress, Prisma } from '../../generated/prisma/client';
import { TenantContext } from '../../platform/database/tenant-context';

export type AddressWrite = Omit<
  Prisma.CustomerAddressUncheckedCreateInput,
  'tenantId' | 'id' | 'customerId' | 'createdAt' | 'updatedAt' | 'deletedAt'
>;

/** The only file of the address book touching Prisma; every query is scoped to one customer. */
@Injectable()
export class AddressesRepository {
  constructor(private readonly tenantContext: TenantContext) {}

  private scope(customerId: string): Prisma.CustomerAddressWhereInput {
    return { tenantId: this.tenantContext.tenantId(), customerId, deletedAt: null };
  }

  list(customerId: string): Promise<CustomerAddress[]> {
    return this.tenantContext.db().customerAddress.findMany({
      where: this.scope(customerId),
      orderBy: [{ isDefault: 'desc' }, { createdAt: 'desc' }, { id: 'asc' }],
    });
  }

  find(customerId: string, id: string): Promise<CustomerAddress | null> {
    return this.tenantContext.db().customerAddress.findFirst({ where: { ...this.scope(customerId), id } });
  }

  count(customerId: string): Promise<number> {
    return this.tenantContext.db().customerAddress.count({ where: this.scope(customerId) });
  }

  /** Serialises address-book writes of one customer (default flag juggling). */
  async lockCustomer(customerId: string): Promise<void> {
    await this.tenantContext.db()
      .$queryRaw`SELECT 1 FROM customers WHERE tenant_id = ${this.tenantContext.tenantId()}::uuid AND id = ${customerId}::uuid FOR UPDATE`;
  }

  async clearDefault(customerId: string): Promise<void> {
    await this.tenantContext.db().customerAddress.updateMany({
      where: { ...this.scope(customerId), isDefault: true },
      data: { isDefault: false },
    });
  }

  create(customerId: string, data: AddressWrite): Promise<CustomerAddress> {
    return this.tenantContext
      .db()
      .customerAddress.create({ data: { ...data, tenantId: this.tenantContext.tenantId(), customerId } });
  }

  update(id: string, data: Partial<AddressWrite>): Promise<CustomerAddress> {
    return this.tenantContext
      .db()
      .customerAddress.update({ where: { tenantId_id: { tenantId: this.tenantContext.tenantId(), id } }, data });
  }

  softDelete(id: string): Promise<CustomerAddress> {
    return this.tenantContext.db().customerAddress.update({
      where: { tenantId_id: { tenantId: this.tenantContext.tenantId(), id } },
      data: { isDefault: false, deletedAt: new Date() },
    });
  }
}
