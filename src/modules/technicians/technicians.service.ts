import { randomUUID } from 'node:crypto';
import { subject } from '@casl/ability';
import { ForbiddenException, Injectable } from '@nestjs/common';
import type { Prisma, Technician, TechnicianCertificate } from '../../generated/prisma/client';
import type { Actor } from '../../platform/auth/actor';
import type { AppAbility } from '../../platform/authz/app-ability';
import { accessibleBy } from '../../platform/authz/casl-prisma';
import { AuditService } from '../../platform/audit/audit.service';
import { TenantContext } from '../../platform/database/tenant-context';
import type { CreateTechnicianDto } from './dto/create-technician.dto';
import type { ListTechniciansQuery } from './dto/list-technicians.query';
import type { TechnicianDetailDto, TechnicianPageDto } from './dto/technician.dto';
import type { UpdateTechnicianDto } from './dto/update-technician.dto';
import { defaultDisplayName } from './display-name';
import { idNumberTaken, invalidFields, phoneTaken, technicianNotFound, wrongStatus } from './technician-errors';
import { TechnicianFiles } from './technician-files';
import { TechnicianNotifier } from './technician-notifier';
import { TechnicianPii } from './technician-pii';
import { allowedFrom, targetOf, type TechnicianEvent } from './technician-status';
import { toDetail, toSummary } from './technician-view';
import { TechniciansRepository, type TechnicianDetailRow } from './technicians.repository';

const asSubject = (row: TechnicianDetailRow) => subject('Technician', row as unknown as Technician);

/** Review actions: CASL action, the data written, the audit verb and what the technician is told. */
const REVIEW = {
  approve: { action: 'approve', verb: 'approve', notice: 'approved', audit: 'technician.approved' },
  reject: { action: 'approve', verb: 'reject', notice: 'rejected', audit: 'technician.rejected' },
  disable: { action: 'delete', verb: 'disable', notice: 'disabled', audit: 'technician.disabled' },
  enable: { action: 'approve', verb: 're-enable', notice: 'enabled', audit: 'technician.enabled' },
} as const;

/** Store staff managing their technicians. */
@Injectable()
export class TechniciansService {
  constructor(
    private readonly repo: TechniciansRepository,
    private readonly tenantContext: TenantContext,
    private readonly pii: TechnicianPii,
    private readonly files: TechnicianFiles,
    private readonly notifier: TechnicianNotifier,
    private readonly audit: AuditService,
  ) {}

  async list(ability: AppAbility, q: ListTechniciansQuery): Promise<TechnicianPageDto> {
    const filters: Prisma.TechnicianWhereInput[] = [accessibleBy(ability).ofType('Technician')];
    if (q.status) filters.push({ status: q.status });
    if (q.tierId) filters.push({ tierId: q.tierId });
    if (q.skill) filters.push({ skills: { has: q.skill } });
    if (q.q) filters.push(search(q.q));
    const rows = await this.repo.list({ AND: filters }, q.limit + 1, q.cursor);
    const items = rows.slice(0, q.limit).map(toSummary);
    return { items, nextCursor: rows.length > q.limit ? (items[items.length - 1]?.id ?? null) : null };
  }

  async get(ability: AppAbility, id: string): Promise<TechnicianDetailDto> {
    const row = await this.repo.findDetail(accessibleBy(ability).ofType('Technician'), id);
    if (!row) throw technicianNotFound();
    return this.present(ability, row);
  }

  async create(ability: AppAbility, actor: Actor, dto: CreateTechnicianDto, ip: string): Promise<TechnicianDetailDto> {
    const tenantId = this.tenantContext.tenantId();
    const id = randomUUID();
    const phone = this.pii.sealPhone(tenantId, dto.phone);
    if (!phone) throw invalidFields([{ field: 'phone', messages: ['must be a mainland mobile number'] }]);
    assertHomePair(dto);
    await this.assertTier(dto.tierId);
    await this.files.assertUsable(dto, null);
    if (await this.repo.hashTaken('phoneHash', phone.phoneHash)) throw phoneTaken();
    const sealedId = dto.idNumber ? this.pii.sealIdNumber(tenantId, id, dto.idNumber) : undefined;
    if (sealedId && (await this.repo.hashTaken('idNumberHash', sealedId.idNumberHash))) throw idNumberTaken();

    const now = new Date();
    await this.repo.create({
      id,
      ...phone,
      ...(sealedId ?? {}),
      status: 'approved',
      name: dto.name.trim(),
      displayName: dto.displayName?.trim() || defaultDisplayName(dto.name),
      gender: dto.gender,
      photoFileId: dto.photoFileId ?? null,
      skills: dto.skills,
      experienceYears: dto.experienceYears,
      introduction: dto.introduction?.trim() || null,
      tierId: dto.tierId ?? null,
      homeLat: dto.homeLat ?? null,
      homeLng: dto.homeLng ?? null,
      submittedAt: now,
      reviewedBy: actor.id,
      reviewedAt: now,
    });
    await this.repo.replaceCertificates(id, dto.certificates ?? []);
    await this.record(actor, 'technician.created', id, ip);
    return this.get(ability, id);
  }

  async update(
    ability: AppAbility,
    actor: Actor,
    id: string,
    dto: UpdateTechnicianDto,
    ip: string,
  ): Promise<TechnicianDetailDto> {
    const row = await this.repo.findDetail(accessibleBy(ability).ofType('Technician'), id);
    if (!row) throw technicianNotFound();
    const fields = Object.keys(dto).filter((k) => dto[k as keyof UpdateTechnicianDto] !== undefined);
    const denied = fields.filter((f) => !ability.can('update', asSubject(row), f));
    if (denied.length > 0) {
      throw new ForbiddenException({ code: 'FIELDS_FORBIDDEN', message: `you may not change: ${denied.join(', ')}` });
    }
    assertHomePair(dto);
    if (dto.tierId) await this.assertTier(dto.tierId);
    await this.files.assertUsable({ photoFileId: dto.photoFileId }, null);
    const tenantId = this.tenantContext.tenantId();
    const sealedId = dto.idNumber ? this.pii.sealIdNumber(tenantId, id, dto.idNumber) : undefined;
    if (sealedId && (await this.repo.hashTaken('idNumberHash', sealedId.idNumberHash, id))) throw idNumberTaken();

    const { idNumber: _secret, ...plain } = dto;
    const ok = await this.repo.update(accessibleBy(ability, 'update').ofType('Technician'), id, {
      ...plain,
      ...(plain.name !== undefined ? { name: plain.name.trim() } : {}),
      ...(sealedId ?? {}),
    });
    if (!ok) throw technicianNotFound();
    // Field names only: the audit trail must not become a second copy of personal data.
    await this.record(actor, 'technician.updated', id, ip, { fields });
    return this.get(ability, id);
  }

  approve(ability: AppAbility, actor: Actor, id: string, ip: string): Promise<TechnicianDetailDto> {
    return this.review(ability, actor, id, 'approve', ip, {
      reviewedBy: actor.id,
      reviewedAt: new Date(),
      rejectionReason: null,
    });
  }

  reject(ability: AppAbility, actor: Actor, id: string, reason: string, ip: string): Promise<TechnicianDetailDto> {
    return this.review(
      ability,
      actor,
      id,
      'reject',
      ip,
      { reviewedBy: actor.id, reviewedAt: new Date(), rejectionReason: reason.trim() },
      reason.trim(),
    );
  }

  disable(ability: AppAbility, actor: Actor, id: string, ip: string): Promise<TechnicianDetailDto> {
    return this.review(ability, actor, id, 'disable', ip, { disabledAt: new Date(), online: false, onlineSince: null });
  }

  enable(ability: AppAbility, actor: Actor, id: string, ip: string): Promise<TechnicianDetailDto> {
    return this.review(ability, actor, id, 'enable', ip, { disabledAt: null });
  }

  /**
   * A status change written conditionally on the current status (`WHERE status IN (…)`), so of
   * two reviewers acting at once only the first succeeds and the other gets 409.
   */
  private async review(
    ability: AppAbility,
    actor: Actor,
    id: string,
    event: TechnicianEvent & keyof typeof REVIEW,
    ip: string,
    data: Prisma.TechnicianUncheckedUpdateManyInput,
    reason?: string,
  ): Promise<TechnicianDetailDto> {
    const spec = REVIEW[event];
    const ok = await this.repo.update(
      { AND: [accessibleBy(ability, spec.action).ofType('Technician'), { status: { in: [...allowedFrom(event)] } }] },
      id,
      { ...data, status: targetOf(event) },
    );
    if (!ok) {
      const row = await this.repo.findDetail(accessibleBy(ability).ofType('Technician'), id);
      if (!row) throw technicianNotFound();
      throw wrongStatus(row.status, spec.verb);
    }
    await this.record(actor, spec.audit, id, ip, reason ? { reason } : {});
    await this.notifier.reviewed(id, spec.notice);
    return this.get(ability, id);
  }

  private present(ability: AppAbility, row: TechnicianDetailRow): TechnicianDetailDto {
    const mayReadId = row.idNumberEnc !== null && ability.can('read', asSubject(row), 'idNumber');
    const mayReadCerts = ability.can(
      'read',
      subject('TechnicianCertificate', { technicianId: row.id } as TechnicianCertificate),
    );
    const idNumber =
      mayReadId && row.idNumberEnc
        ? this.pii.openIdNumber(this.tenantContext.tenantId(), row.id, row.idNumberEnc)
        : undefined;
    return toDetail(row, { idNumber, certificates: mayReadCerts });
  }

  private async assertTier(tierId: string | null | undefined): Promise<void> {
    if (tierId && !(await this.repo.tierExists(tierId))) {
      throw invalidFields([{ field: 'tierId', messages: ['no such tier in this store'] }]);
    }
  }

  private record(actor: Actor, action: string, id: string, ip: string, details: Record<string, unknown> = {}) {
    return this.audit.record({
      actorType: actor.kind,
      actorId: actor.id,
      action,
      targetType: 'technician',
      targetId: id,
      ip,
      details,
    });
  }
}

function assertHomePair(dto: { homeLat?: number | null; homeLng?: number | null }): void {
  if (
    (dto.homeLat === undefined) !== (dto.homeLng === undefined) ||
    (dto.homeLat === null) !== (dto.homeLng === null)
  ) {
    throw invalidFields([
      { field: 'homeLat', messages: ['homeLat and homeLng go together'] },
      { field: 'homeLng', messages: ['homeLat and homeLng go together'] },
    ]);
  }
}

/** Four digits search the phone's visible tail (138****1234); anything else the names. */
function search(q: string): Prisma.TechnicianWhereInput {
  const text = q.trim();
  if (/^\d{4}$/.test(text)) return { phoneMasked: { endsWith: text } };
  return {
    OR: [{ name: { contains: text, mode: 'insensitive' } }, { displayName: { contains: text, mode: 'insensitive' } }],
  };
}
