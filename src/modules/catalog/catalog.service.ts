import { createHash } from 'node:crypto';
import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { subject } from '@casl/ability';
import type { Actor } from '../../platform/auth/actor';
import type { AppAbility } from '../../platform/authz/app-ability';
import { accessibleBy } from '../../platform/authz/casl-prisma';
import { AuditService } from '../../platform/audit/audit.service';
import { FilesService } from '../../platform/files/files.service';
import { CatalogRepository } from './catalog.repository';
import { addonView, categoryView, minuteOfDay, serviceView, travelFeeView } from './catalog-view';
import { quote, type Quote, type QuoteAddon, type TravelFeeRules } from './price-quote';
import { quoteErrorToHttp } from './quote-http';
import type { QuoteRequestDto } from './dto/quote.dto';
import type { TravelFeeRule } from '../../generated/prisma/client';
import type {
  CreateAddonDto,
  CreateCategoryDto,
  CreateServiceDto,
  TravelFeeRulesDto,
  UpdateAddonDto,
  UpdateCategoryDto,
  UpdateServiceDto,
} from './dto/catalog-input.dto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const badField = (field: string, message: string) =>
  new BadRequestException({ code: 'VALIDATION_FAILED', message, fields: [{ field, messages: [message] }] });
const notFound = (what: string) => new NotFoundException({ code: 'NOT_FOUND', message: `${what} not found` });

/** Catalog use cases; callers run inside the store's tenant context. */
@Injectable()
export class CatalogService {
  constructor(
    private readonly repo: CatalogRepository,
    private readonly files: FilesService,
    private readonly audit: AuditService,
  ) {}

  // ---- public ---------------------------------------------------------------------------------

  /** The customer-facing catalog, as JSON text, with a strong ETag of exactly that text. */
  async publicCatalog(): Promise<{ json: string; etag: string }> {
    const json = await this.repo.publicCatalogJson();
    return { json, etag: `"${createHash('sha1').update(json).digest('base64url')}"` };
  }

  async publicService(id: string) {
    const found = await this.repo.findPublicService(id);
    if (!found || found.service.durations.length === 0) throw notFound('service');
    const { service, addons } = found;
    return {
      id: service.id,
      category: { id: service.category.id, nameZh: service.category.nameZh, nameEn: service.category.nameEn },
      nameZh: service.nameZh,
      nameEn: service.nameEn,
      description: service.description,
      images: service.images.map((i) => (UUID.test(i) ? `/api/files/${i}` : i)),
      requiredSkills: service.requiredSkills,
      durations: service.durations.map((d) => ({ minutes: d.minutes, priceFen: d.priceFen })),
      addons: addons.map(addonView),
    };
  }

  /** A price quote for an active service of this store, in the store's timezone. */
  async quote(timezone: string, dto: QuoteRequestDto): Promise<Quote> {
    const found = await this.repo.findPublicService(dto.serviceId);
    if (!found) throw badField('serviceId', 'no such active service in this store');
    const byId = new Map(found.addons.map((a) => [a.id, a]));
    const addons = (dto.addons ?? []).map((x, i) => {
      const a = byId.get(x.addonId);
      if (!a) throw badField(`addons.${i}.addonId`, 'no such add-on for this service');
      const addon: QuoteAddon = {
        id: a.id,
        serviceId: a.serviceId,
        kind: a.kind as QuoteAddon['kind'],
        name: a.nameZh,
        minutes: a.minutes,
        priceFen: a.priceFen,
        maxQuantity: a.maxQuantity,
      };
      return { addon, quantity: x.quantity };
    });
    try {
      return quote({
        service: { id: found.service.id, name: found.service.nameZh, durations: found.service.durations },
        durationMinutes: dto.durationMinutes,
        addons,
        distanceMeters: dto.distanceMeters,
        startAt: new Date(dto.startAt),
        timezone,
        rules: toRules(await this.repo.findTravelFeeRule()),
      });
    } catch (err) {
      throw quoteErrorToHttp(err);
    }
  }

  // ---- staff ----------------------------------------------------------------------------------

  async adminCatalog(ability: AppAbility) {
    const [categories, services, storeAddons, travelFee] = await Promise.all([
      this.repo.listCategories({ AND: [accessibleBy(ability).ofType('ServiceCategory')] }),
      this.repo.listServices({ AND: [accessibleBy(ability).ofType('Service')] }),
      this.repo.listStoreAddons(),
      this.repo.findTravelFeeRule(),
    ]);
    return {
      categories: categories.map(categoryView),
      services: services.map(serviceView),
      storeAddons: storeAddons.map(addonView),
      travelFee: travelFeeView(travelFee),
    };
  }

  async createCategory(dto: CreateCategoryDto) {
    return categoryView(await this.repo.createCategory(dto));
  }

  async updateCategory(id: string, dto: UpdateCategoryDto) {
    if (!(await this.repo.findCategory(id))) throw notFound('category');
    return categoryView(await this.repo.updateCategory(id, dto));
  }

  async getService(ability: AppAbility, id: string) {
    const service = await this.repo.findService(id);
    if (!service || !ability.can('read', subject('Service', service))) throw notFound('service');
    return serviceView(service);
  }

  async createService(actor: Actor, dto: CreateServiceDto) {
    await this.checkCategory(dto.categoryId);
    await this.checkImages(dto.images ?? []);
    const { durations, ...data } = dto;
    const created = await this.repo.createService(data, durations);
    await this.audit.record({
      actorType: actor.kind,
      actorId: actor.id,
      action: 'catalog.service.created',
      targetType: 'service',
      targetId: created.id,
    });
    return serviceView(created);
  }

  async updateService(actor: Actor, id: string, dto: UpdateServiceDto) {
    const before = await this.repo.findService(id);
    if (!before) throw notFound('service');
    if (dto.categoryId) await this.checkCategory(dto.categoryId);
    if (dto.images) await this.checkImages(dto.images);
    const { durations, ...data } = dto;
    const updated = await this.repo.updateService(id, data, durations);
    await this.audit.record({
      actorType: actor.kind,
      actorId: actor.id,
      action: 'catalog.service.updated',
      targetType: 'service',
      targetId: id,
      details: durations
        ? { durationsBefore: serviceView(before).durations, durationsAfter: serviceView(updated).durations }
        : {},
    });
    return serviceView(updated);
  }

  async createAddon(dto: CreateAddonDto) {
    if (dto.serviceId && !(await this.repo.findService(dto.serviceId))) {
      throw badField('serviceId', 'no such service in this store');
    }
    if (dto.kind === 'material' && dto.minutes !== undefined) {
      throw badField('minutes', 'a material takes no time; only an extension has minutes');
    }
    return addonView(
      await this.repo.createAddon({ ...dto, serviceId: dto.serviceId ?? null, minutes: dto.minutes ?? null }),
    );
  }

  async updateAddon(id: string, dto: UpdateAddonDto) {
    const addon = await this.repo.findAddon(id);
    if (!addon) throw notFound('add-on');
    if (addon.kind === 'material' && dto.minutes !== undefined) {
      throw badField('minutes', 'a material takes no time; only an extension has minutes');
    }
    return addonView(await this.repo.updateAddon(id, dto));
  }

  async deleteAddon(id: string): Promise<void> {
    if (!(await this.repo.findAddon(id))) throw notFound('add-on');
    await this.repo.deleteAddon(id);
  }

  async travelFee() {
    return travelFeeView(await this.repo.findTravelFeeRule());
  }

  async setTravelFee(actor: Actor, dto: TravelFeeRulesDto) {
    const start = dto.nightStart === undefined ? null : minuteOfDay(dto.nightStart);
    const end = dto.nightEnd === undefined ? null : minuteOfDay(dto.nightEnd);
    if (start !== null && start === end) throw badField('nightEnd', 'the night window must not be empty');
    const saved = await this.repo.upsertTravelFeeRule({
      freeRadiusM: dto.freeRadiusM,
      pricePerKmFen: dto.pricePerKmFen,
      nightStartMinute: start,
      nightEndMinute: end,
      nightSurchargeFen: dto.nightSurchargeFen,
      minimumOrderFen: dto.minimumOrderFen,
    });
    await this.audit.record({
      actorType: actor.kind,
      actorId: actor.id,
      action: 'catalog.travel_fee.updated',
      details: { ...dto },
    });
    return travelFeeView(saved);
  }

  private async checkCategory(id: string): Promise<void> {
    if (!(await this.repo.findCategory(id))) throw badField('categoryId', 'no such category in this store');
  }

  /** File ids must be this store's public images (a certificate or another store's file is refused). */
  private async checkImages(images: string[]): Promise<void> {
    const ids = images.filter((i) => UUID.test(i));
    const found = await this.files.findByIds(ids);
    const ok = new Set(found.filter((f) => f.kind === 'image' && !f.sensitive).map((f) => f.id));
    const bad = ids.find((id) => !ok.has(id));
    if (bad) throw badField('images', `image ${bad} is not an uploaded image of this store`);
  }
}

/** Stored rules → the quote's shape; a store without rules charges no travel fee and has no minimum. */
export function toRules(r: TravelFeeRule | null): TravelFeeRules {
  if (!r) return { freeRadiusM: 0, pricePerKmFen: 0, night: null, minimumOrderFen: 0 };
  return {
    freeRadiusM: r.freeRadiusM,
    pricePerKmFen: r.pricePerKmFen,
    night:
      r.nightStartMinute === null || r.nightEndMinute === null
        ? null
        : { startMinute: r.nightStartMinute, endMinute: r.nightEndMinute, surchargeFen: r.nightSurchargeFen },
    minimumOrderFen: r.minimumOrderFen,
  };
}
