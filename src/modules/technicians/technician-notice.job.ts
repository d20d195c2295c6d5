import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../../platform/audit/audit.service';
import { TenantContext } from '../../platform/database/tenant-context';
import { JobHandler } from '../../platform/queue/job-handler.decorator';
import { SMS_PROVIDER, type SmsProvider } from '../../platform/sms/sms-provider';
import { TenantDirectory } from '../../platform/tenancy/tenant-directory';
import { OUTCOME_STATUS, reviewNoticeParams, type TechnicianReviewNoticePayload } from './technician-notice';
import { TechnicianPii } from './technician-pii';
import { TechniciansRepository } from './technicians.repository';

/**
 * Sends a review decision to the technician by SMS. Runs in the store's tenant context (the
 * worker's runner). The job is queued from inside the deciding transaction, so it first checks
 * that the decision is still in force: a rolled-back or superseded decision sends nothing.
 */
@Injectable()
export class TechnicianNoticeJob {
  constructor(
    private readonly repo: TechniciansRepository,
    private readonly tenantContext: TenantContext,
    private readonly pii: TechnicianPii,
    private readonly directory: TenantDirectory,
    private readonly audit: AuditService,
    @Inject(SMS_PROVIDER) private readonly sms: SmsProvider,
  ) {}

  @JobHandler('technician.review_notice')
  async run(p: TechnicianReviewNoticePayload): Promise<void> {
    const target = await this.repo.findNoticeTarget(p.technicianId);
    if (!target || target.status !== OUTCOME_STATUS[p.outcome]) return;
    const tenantId = this.tenantContext.tenantId();
    const store = await this.directory.findById(tenantId);
    const phone = this.pii.openPhone(tenantId, target.phoneEnc);
    await this.sms.send(
      phone,
      'technician_review',
      reviewNoticeParams(p.outcome, store?.name ?? '', target.rejectionReason),
    );
    await this.audit.record({
      actorType: 'system',
      action: 'technician.notice_sent',
      targetType: 'technician',
      targetId: p.technicianId,
      details: { outcome: p.outcome, channel: 'sms' },
    });
  }
}
