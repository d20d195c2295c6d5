import { Injectable } from '@nestjs/common';
import { AuditService } from '../../platform/audit/audit.service';

export type ReviewOutcome = 'approved' | 'rejected' | 'disabled' | 'enabled';

/**
 * Tells a technician about a review decision. There is no tenant-scoped SMS/notification job
 * yet, so for now the notice is an audit entry (`technician.notice.*`) that the technician app
 * shows through GET /api/technician/me (status + rejection reason); when a notification job
 * lands, this is the one place to enqueue it.
 */
@Injectable()
export class TechnicianNotifier {
  constructor(private readonly audit: AuditService) {}

  async reviewed(technicianId: string, outcome: ReviewOutcome, reason?: string): Promise<void> {
    await this.audit.record({
      actorType: 'system',
      action: `technician.notice.${outcome}`,
      targetType: 'technician',
      targetId: technicianId,
      details: { channel: 'pending', ...(reason ? { reason } : {}) },
    });
  }
}
