import { BadRequestException, Injectable } from '@nestjs/common';
import { Prisma, type StoreProfile } from '../../generated/prisma/client';
import type { Actor } from '../../platform/auth/actor';
import { AuditService } from '../../platform/audit/audit.service';
import { FieldCipher } from '../../platform/crypto/field-cipher';
import { TenantContext } from '../../platform/database/tenant-context';
import { TenantDirectory } from '../../platform/tenancy/tenant-directory';
import type { UpdateBrandingDto } from './dto/update-branding.dto';
import type { UpdateStoreProfileDto } from './dto/update-store-profile.dto';
import type { StorePageDto, StoreProfileDto } from './dto/store-profile.dto';
import { normalizeOpeningHours, WEEKDAYS } from './opening-hours';
import { closedNotice } from './store-notice';
import { maskStorePhone, storePhoneAad } from './store-phone';
import { profileFields } from './store-profile.view';
import { StoreProfileRepository, type StoreProfileWrite } from './store-profile.repository';

@Injectable()
export class StoreProfileService {
  constructor(
    private readonly repo: StoreProfileRepository,
    private readonly cipher: FieldCipher,
    private readonly directory: TenantDirectory,
    private readonly audit: AuditService,
    private readonly tenantContext: TenantContext,
  ) {}

  /** Public page data; a store that is not active says so instead of failing. */
  async publicPage(): Promise<StorePageDto> {
    const tenant = await this.repo.findTenant();
    if (!tenant) throw new Error('tenant row missing inside its own context');
    const profile = await this.repo.findProfile();
    const notice = closedNotice(tenant.status);
    return {
      slug: tenant.slug,
      name: tenant.name,
      displayName: tenant.displayName,
      logoUrl: tenant.logoUrl,
      themeColor: tenant.themeColor,
      city: tenant.city,
      timezone: tenant.timezone,
      locale: tenant.locale,
      status: tenant.status,
      ...profileFields(profile, tenant.address),
      closed: notice !== undefined,
      ...(notice ? { notice } : {}),
    };
  }

  async profile(): Promise<StoreProfileDto> {
    const tenant = await this.repo.findTenant();
    return this.toStaffView(await this.repo.findProfile(), tenant?.address ?? null);
  }

  async updateProfile(actor: Actor, dto: UpdateStoreProfileDto, ip: string): Promise<StoreProfileDto> {
    await this.repo.lockProfile();
    const write = this.toWrite(dto);
    const saved = await this.repo.upsertProfile(write);
    // The directory row keeps the address too (lists of stores show it without the profile).
    if (dto.address !== undefined) await this.repo.updateTenant({ address: dto.address });
    await this.audit.record({
      actorType: 'staff',
      actorId: actor.id,
      action: 'store.profile_updated',
      targetType: 'store_profile',
      targetId: this.tenantContext.tenantId(),
      ip,
      details: { fields: Object.keys(dto) },
    });
    return this.toStaffView(saved, saved.address);
  }

  async updateBranding(actor: Actor, dto: UpdateBrandingDto, ip: string): Promise<StorePageDto> {
    const data = Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined));
    if (Object.keys(data).length > 0) {
      await this.repo.updateTenant(data);
      await this.audit.record({
        actorType: 'staff',
        actorId: actor.id,
        action: 'store.branding_updated',
        targetType: 'tenant',
        targetId: this.tenantContext.tenantId(),
        ip,
        details: { fields: Object.keys(data) },
      });
      // Drops cached copies in every process. This runs before the request's transaction
      // commits, so a read racing the commit may cache the old row until the TTL (60 s).
      await this.directory.invalidate();
    }
    return this.publicPage();
  }

  private toWrite(dto: UpdateStoreProfileDto): StoreProfileWrite {
    const w: StoreProfileWrite = {};
    if (dto.address !== undefined) w.address = dto.address;
    if (dto.location !== undefined) {
      w.lat = dto.location?.lat ?? null;
      w.lng = dto.location?.lng ?? null;
    }
    if (dto.phone !== undefined) {
      w.phoneEnc =
        dto.phone === null
          ? null
          : new Uint8Array(this.cipher.encrypt(dto.phone, storePhoneAad(this.tenantContext.tenantId())));
      w.phoneMasked = dto.phone === null ? null : maskStorePhone(dto.phone);
    }
    if (dto.openingHours !== undefined) {
      const hours = normalizeOpeningHours(dto.openingHours);
      for (const d of WEEKDAYS) {
        hours[d].forEach((r, i) => {
          if (r.open === r.close) invalid(`openingHours.${d}.${i}.close`, 'close must differ from open');
        });
      }
      w.openingHours = hours as unknown as Prisma.InputJsonValue;
    }
    if (dto.introduction !== undefined) w.introduction = dto.introduction;
    if (dto.photoUrls !== undefined) w.photoUrls = dto.photoUrls;
    if (dto.serviceArea !== undefined) {
      const a = dto.serviceArea;
      if (a?.polygon && (a.center || a.radiusM !== undefined)) {
        invalid('serviceArea', 'serviceArea is either center + radiusM or polygon, not both');
      }
      const circle = a?.center && a.radiusM !== undefined ? a : undefined;
      w.areaCenterLat = circle?.center?.lat ?? null;
      w.areaCenterLng = circle?.center?.lng ?? null;
      w.areaRadiusM = circle?.radiusM ?? null;
      w.areaPolygon = a?.polygon ? (a.polygon as Prisma.InputJsonValue) : Prisma.DbNull;
    }
    return w;
  }

  private toStaffView(p: StoreProfile | null, fallbackAddress: string | null): StoreProfileDto {
    return {
      ...profileFields(p, fallbackAddress),
      phone: p?.phoneEnc ? this.cipher.decrypt(p.phoneEnc, storePhoneAad(this.tenantContext.tenantId())) : null,
      updatedAt: p?.updatedAt.toISOString() ?? null,
    };
  }
}

function invalid(field: string, message: string): never {
  throw new BadRequestException({ code: 'VALIDATION_FAILED', message, fields: [{ field, messages: [message] }] });
}
