import { subject } from '@casl/ability';
import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import type { TechnicianCertificate } from '../../generated/prisma/client';
import type { Actor } from '../../platform/auth/actor';
import type { AppAbility } from '../../platform/authz/app-ability';
import { AuditService } from '../../platform/audit/audit.service';
import { TenantContext } from '../../platform/database/tenant-context';
import { TenantDirectory } from '../../platform/tenancy/tenant-directory';
import { NotificationService } from '../notifications/notification.service';
import { decisionData, decisionEffect, type CertificateDecision } from './certificate-review';
import type { CertificateDto } from './dto/technician.dto';
import { TechnicianCertificatesRepository } from './technician-certificates.repository';
import { toCertificate } from './technician-view';

/** Same answer for another store's ids, another technician's certificate and ids that never existed. */
const certificateNotFound = () =>
  new NotFoundException({ code: 'CERTIFICATE_NOT_FOUND', message: 'certificate not found' });

/** Managers verify or reject technicians' qualification documents (按摩师证, 健康证 …). */
@Injectable()
export class TechnicianCertificatesService {
  constructor(
    private readonly repo: TechnicianCertificatesRepository,
    private readonly tenantContext: TenantContext,
    private readonly directory: TenantDirectory,
    private readonly notifications: NotificationService,
    private readonly audit: AuditService,
  ) {}

  /**
   * Records the decision (who, when, the reason of a rejection), audits it and tells the
   * technician, all in the request's unit of work. Repeating the decision in force answers the
   * certificate unchanged, without a second audit entry or notice.
   */
  async decide(
    ability: AppAbility,
    actor: Actor,
    technicianId: string,
    certificateId: string,
    decision: CertificateDecision,
    ip: string,
    reason?: string,
  ): Promise<CertificateDto> {
    const cert = await this.repo.find(technicianId, certificateId);
    if (!cert || !ability.can('approve', subject('TechnicianCertificate', cert as TechnicianCertificate))) {
      throw certificateNotFound();
    }
    if (decisionEffect(cert.status, decision) === 'same') return toCertificate(cert);

    const data = decisionData(decision, actor.id, new Date(), reason);
    if (!(await this.repo.decide(cert.id, cert.status, data))) {
      throw new ConflictException({
        code: 'CERTIFICATE_DECIDED_MEANWHILE',
        message: 'another decision on this certificate was just recorded; reload it',
      });
    }
    await this.audit.record({
      actorType: actor.kind,
      actorId: actor.id,
      action: decision === 'verify' ? 'technician.certificate_verified' : 'technician.certificate_rejected',
      targetType: 'technician_certificate',
      targetId: cert.id,
      ip,
      details: {
        technicianId,
        kind: cert.kind,
        from: cert.status,
        ...(data.rejectionReason ? { reason: data.rejectionReason } : {}),
      },
    });
    const store = await this.directory.findById(this.tenantContext.tenantId());
    const storeName = store?.displayName ?? '';
    await (decision === 'verify'
      ? this.notifications.notify({
          recipient: { type: 'technician', id: technicianId },
          template: 'technician.certificate_verified',
          params: { storeName, kind: cert.kind },
          channels: ['in_app'],
        })
      : this.notifications.notify({
          recipient: { type: 'technician', id: technicianId },
          template: 'technician.certificate_rejected',
          params: { storeName, kind: cert.kind, reason: data.rejectionReason ?? '' },
          // they have something to do (upload it again), so the text goes out too
          channels: ['in_app', 'sms'],
        }));
    return toCertificate({ ...cert, ...data });
  }
}
