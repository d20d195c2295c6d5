import { Injectable } from '@nestjs/common';
import { TenantContext } from '../../platform/database/tenant-context';
import type { Prisma } from '../../generated/prisma/client';
import { PUBLIC_CATALOG_SQL } from './public-catalog.sql';

const SERVICE_INCLUDE = {
  durations: { orderBy: { minutes: 'asc' } },
  addons: { orderBy: [{ sortOrder: 'asc' }, { nameZh: 'asc' }] },
} satisfies Prisma.ServiceInclude;

export type ServiceWithOptions = Prisma.ServiceGetPayload<{ include: typeof SERVICE_INCLUDE }>;

/** The only file of the catalog touching Prisma; always inside the request's tenant context. */
@Injectable()
export class CatalogRepository {
  constructor(private readonly tenantContext: TenantContext) {}

  private get db() {
    return this.tenantContext.db();
  }
  private get tenantId() {
    return this.tenantContext.tenantId();
  }

  /**
   * The public catalog as one JSON text, built by PostgreSQL in one statement. A hot public read,
   * so it runs on the plain-pg unit of work (the route is marked @SqlUnitOfWork): same RLS, one
   * round trip fewer and no interactive-transaction machinery.
   */
  async publicCatalogJson(): Promise<string> {
    const { rows } = await this.tenantContext.sql().query<{ catalog: string }>(PUBLIC_CATALOG_SQL, [this.tenantId]);
    return rows[0]!.catalog;
  }

  listCategories(where: Prisma.ServiceCategoryWhereInput) {
    return this.db.serviceCategory.findMany({ where, orderBy: [{ sortOrder: 'asc' }, { nameZh: 'asc' }] });
  }
  findCategory(id: string) {
    return this.db.serviceCategory.findUnique({ where: { tenantId_id: { tenantId: this.tenantId, id } } });
  }
  createCategory(data: Omit<Prisma.ServiceCategoryUncheckedCreateInput, 'tenantId'>) {
    return this.db.serviceCategory.create({ data: { ...data, tenantId: this.tenantId } });
  }
  updateCategory(id: string, data: Prisma.ServiceCategoryUncheckedUpdateInput) {
    return this.db.serviceCategory.update({ where: { tenantId_id: { tenantId: this.tenantId, id } }, data });
  }

  listServices(where: Prisma.ServiceWhereInput): Promise<ServiceWithOptions[]> {
    return this.db.service.findMany({
      where,
      include: SERVICE_INCLUDE,
      orderBy: [{ sortOrder: 'asc' }, { nameZh: 'asc' }],
    });
  }
  findService(id: string): Promise<ServiceWithOptions | null> {
    return this.db.service.findUnique({
      where: { tenantId_id: { tenantId: this.tenantId, id } },
      include: SERVICE_INCLUDE,
    });
  }
  /** An active service of an active category, with its active add-ons and the store-wide ones. */
  async findPublicService(id: string) {
    const service = await this.db.service.findFirst({
      where: { id, active: true, category: { active: true } },
      include: { durations: { orderBy: { minutes: 'asc' } }, category: true },
    });
    if (!service) return null;
    const addons = await this.db.serviceAddon.findMany({
      where: { active: true, OR: [{ serviceId: id }, { serviceId: null }] },
      orderBy: [{ sortOrder: 'asc' }, { nameZh: 'asc' }],
    });
    return { service, addons };
  }
  async createService(
    data: Omit<Prisma.ServiceUncheckedCreateInput, 'tenantId' | 'durations'>,
    durations: { minutes: number; priceFen: number }[],
  ): Promise<ServiceWithOptions> {
    const created = await this.db.service.create({ data: { ...data, tenantId: this.tenantId } });
    await this.db.serviceDuration.createMany({
      data: durations.map((d) => ({ ...d, tenantId: this.tenantId, serviceId: created.id })),
    });
    return (await this.findService(created.id))!;
  }
  async updateService(
    id: string,
    data: Prisma.ServiceUncheckedUpdateInput,
    durations: { minutes: number; priceFen: number }[] | undefined,
  ): Promise<ServiceWithOptions> {
    await this.db.service.update({ where: { tenantId_id: { tenantId: this.tenantId, id } }, data });
    if (durations) {
      await this.db.serviceDuration.deleteMany({ where: { serviceId: id } });
      await this.db.serviceDuration.createMany({
        data: durations.map((d) => ({ ...d, tenantId: this.tenantId, serviceId: id })),
      });
    }
    return (await this.findService(id))!;
  }

  listStoreAddons() {
    return this.db.serviceAddon.findMany({
      where: { serviceId: null },
      orderBy: [{ sortOrder: 'asc' }, { nameZh: 'asc' }],
    });
  }
  findAddon(id: string) {
    return this.db.serviceAddon.findUnique({ where: { tenantId_id: { tenantId: this.tenantId, id } } });
  }
  createAddon(data: Omit<Prisma.ServiceAddonUncheckedCreateInput, 'tenantId'>) {
    return this.db.serviceAddon.create({ data: { ...data, tenantId: this.tenantId } });
  }
  updateAddon(id: string, data: Prisma.ServiceAddonUncheckedUpdateInput) {
    return this.db.serviceAddon.update({ where: { tenantId_id: { tenantId: this.tenantId, id } }, data });
  }
  deleteAddon(id: string) {
    return this.db.serviceAddon.delete({ where: { tenantId_id: { tenantId: this.tenantId, id } } });
  }

  findTravelFeeRule() {
    return this.db.travelFeeRule.findUnique({ where: { tenantId: this.tenantId } });
  }
  upsertTravelFeeRule(data: Omit<Prisma.TravelFeeRuleUncheckedCreateInput, 'tenantId'>) {
    return this.db.travelFeeRule.upsert({
      where: { tenantId: this.tenantId },
      create: { ...data, tenantId: this.tenantId },
      update: data,
    });
  }
}
