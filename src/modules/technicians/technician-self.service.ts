import { subject } from '@casl/ability';
import { ConflictException, ForbiddenException, Injectable } from '@nestjs/common';
import type { Technician } from '../../generated/prisma/client';
import type { Actor } from '../../platform/auth/actor';
import type { AppAbility } from '../../platform/authz/app-ability';
import { accessibleBy } from '../../platform/authz/casl-prisma';
import { AuditService } from '../../platform/audit/audit.service';
import { TenantContext } from '../../platform/database/tenant-context';
import type { LocationResultDto } from './dto/location.dto';
import type { TechnicianApplicationDto } from './dto/technician-application.dto';
import type { TechnicianDetailDto } from './dto/technician.dto';
import { LocationThrottle } from './location-throttle';
import { idNumberTaken, technicianNotFound, wrongStatus } from './technician-errors';
import { TechnicianFiles } from './technician-files';
import { TechnicianPii } from './technician-pii';
import { allowedFrom } from './technician-status';
import { toDetail } from './technician-view';
import { TechniciansRepository, type TechnicianDetailRow } from './technicians.repository';

type SelfAction = 'application' | 'location' | 'online';

/** The technician app: own profile, application for review, duty status and position. */
@Injectable()
export class TechnicianSelfService {
  constructor(
    private readonly repo: TechniciansRepository,
    private readonly tenantContext: TenantContext,
    private readonly pii: TechnicianPii,
    private readonly files: TechnicianFiles,
    private readonly throttle: LocationThrottle,
    private readonly audit: AuditService,
  ) {}

  async me(ability: AppAbility, actor: Actor): Promise<TechnicianDetailDto> {
    const row = await this.self(ability, actor);
    return toDetail(row, { certificates: true });
  }

  async apply(
    ability: AppAbility,
    actor: Actor,
    dto: TechnicianApplicationDto,
    ip: string,
  ): Promise<TechnicianDetailDto> {
    const row = await this.self(ability, actor, 'application');
    if (!allowedFrom('submit').includes(row.status as never)) throw wrongStatus(row.status, 'edit the application of');
    await this.files.assertUsable(dto, { kind: 'technician', id: actor.id });
    const tenantId = this.tenantContext.tenantId();
    const sealed = this.pii.sealIdNumber(tenantId, actor.id, dto.idNumber);
    if (await this.repo.hashTaken('idNumberHash', sealed.idNumberHash, actor.id)) throw idNumberTaken();

    const updated = await this.repo.update({ status: { in: [...allowedFrom('submit')] } }, actor.id, {
      status: 'pending_review',
      name: dto.name.trim(),
      displayName: dto.displayName?.trim() ?? null,
      gender: dto.gender,
      photoFileId: dto.photoFileId ?? null,
      ...sealed,
      skills: dto.skills,
      experienceYears: dto.experienceYears,
      introduction: dto.introduction?.trim() || null,
      submittedAt: new Date(),
    });
    // Another request changed the status between our read and write (e.g. a parallel submit).
    if (!updated) throw wrongStatus('pending_review', 'edit the application of');
    await this.repo.replaceCertificates(actor.id, dto.certificates ?? []);
    await this.audit.record({
      actorType: 'technician',
      actorId: actor.id,
      action: 'technician.application_submitted',
      targetType: 'technician',
      targetId: actor.id,
      ip,
      details: { resubmission: row.status === 'rejected', certificates: dto.certificates?.length ?? 0 },
    });
    return this.me(ability, actor);
  }

  async setOnline(ability: AppAbility, actor: Actor, online: boolean): Promise<TechnicianDetailDto> {
    const row = await this.self(ability, actor, 'online');
    if (online && row.status !== 'approved') {
      throw new ConflictException({
        code: 'TECHNICIAN_NOT_APPROVED',
        message: 'only an approved technician can go online',
        status: row.status,
      });
    }
    if (row.online !== online) {
      // Conditional on the status, so a disable landing in between cannot be undone by going online.
      const ok = await this.repo.update(online ? { status: 'approved' } : {}, actor.id, {
        online,
        onlineSince: online ? new Date() : null,
      });
      if (!ok) throw wrongStatus(row.status, 'put online');
    }
    return this.me(ability, actor);
  }

  async updateLocation(ability: AppAbility, actor: Actor, lat: number, lng: number): Promise<LocationResultDto> {
    this.assertTechnician(actor);
    const tenantId = this.tenantContext.tenantId();
    const wait = await this.throttle.acquire(tenantId, actor.id);
    if (wait > 0) return { stored: false, retryAfterMs: wait };
    // Positions are kept only while on duty: an off-duty technician is not tracked.
    const ok = await this.repo.update(
      { AND: [accessibleBy(ability, 'update').ofType('Technician'), { online: true }] },
      actor.id,
      { lastLat: lat, lastLng: lng, locatedAt: new Date() },
    );
    if (!ok) {
      await this.throttle.release(tenantId, actor.id);
      throw new ConflictException({ code: 'TECHNICIAN_NOT_ONLINE', message: 'go online before sending positions' });
    }
    return { stored: true, retryAfterMs: 0 };
  }

  private assertTechnician(actor: Actor): void {
    if (actor.kind !== 'technician') {
      throw new ForbiddenException({ code: 'TECHNICIANS_ONLY', message: 'this is the technician app API' });
    }
  }

  private async self(ability: AppAbility, actor: Actor, action?: SelfAction): Promise<TechnicianDetailRow> {
    this.assertTechnician(actor);
    const row = await this.repo.findDetail(accessibleBy(ability).ofType('Technician'), actor.id);
    if (!row) throw technicianNotFound();
    if (action && !ability.can('update', subject('Technician', row as unknown as Technician), action)) {
      throw new ForbiddenException();
    }
    return row;
  }
}
