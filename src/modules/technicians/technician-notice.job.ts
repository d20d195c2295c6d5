import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../../platform/audit/audit.service';
import { TenantContext } from '../../platform/database/tenant-context';
import { JobHandler } from '../../platform/queue/job-handler.decorator';
import { SMS_PROVIDER, type SmsProvider } from '../../platform/sms/sms-provider';
import { TenantDirectory } from '../../platform/tenancy/tenant-directory';
import { checkNotice, reviewNoticeParams, type TechnicianReviewNoticePayload } from './technician-notice';
import { TechnicianPii } from './technician-pii';
import { TechniciansRepository } from './technicians.repository';

/**
 * Sends a review decision to the technician by SMS. Runs in the store's tenant context (the
 * worker's runner) and first checks that the decision is in force (see `checkNotice`).
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
    if (!target) return;
    const check = checkNotice(p.outcome, target.status);
    if (check === 'superseded') return;
    // Retried with backoff; a rolled-back decision ends as a failed job, never as an SMS.
    if (check === 'not_visible_yet') throw new Error(`review decision ${p.outcome} not visible yet`);
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
