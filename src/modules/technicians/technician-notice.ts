import { allowedFrom, type TechnicianEvent, type TechnicianStatus } from './technician-status';

export type ReviewOutcome = 'approved' | 'rejected' | 'disabled' | 'enabled';

/** Payload of the `technician.review_notice` job (tenant-scoped). No personal data: ids only. */
export interface TechnicianReviewNoticePayload {
  tenantId: string;
  technicianId: string;
  outcome: ReviewOutcome;
}

/** The status a decision leaves behind; the job sends only if it still holds when it runs. */
export const OUTCOME_STATUS: Record<ReviewOutcome, TechnicianStatus> = {
  approved: 'approved',
  rejected: 'rejected',
  disabled: 'disabled',
  enabled: 'approved',
};

const EVENT_OF: Record<ReviewOutcome, TechnicianEvent> = {
  approved: 'approve',
  rejected: 'reject',
  disabled: 'disable',
  enabled: 'enable',
};

export type NoticeCheck = 'send' | 'not_visible_yet' | 'superseded';

/**
 * The job is queued inside the deciding transaction, so it can run before that commits. Seeing
 * the decision's status → send; seeing a status the decision starts from → the commit is not
 * visible yet (or it rolled back): retry, and never send for it; anything else → superseded.
 */
export function checkNotice(outcome: ReviewOutcome, currentStatus: string): NoticeCheck {
  if (currentStatus === OUTCOME_STATUS[outcome]) return 'send';
  return (allowedFrom(EVENT_OF[outcome]) as readonly string[]).includes(currentStatus)
    ? 'not_visible_yet'
    : 'superseded';
}

/** SMS text parameters (zh-CN first, with English) for a review decision. */
export function reviewNoticeParams(outcome: ReviewOutcome, storeName: string, reason: string | null) {
  const text: Record<ReviewOutcome, string> = {
    approved: '您的技师入驻申请已通过审核，可以上线接单了。Your application was approved.',
    rejected: `您的技师入驻申请未通过：${reason ?? ''}。请修改后重新提交。Your application was rejected.`,
    disabled: '您的技师账号已被门店停用。Your technician account was disabled.',
    enabled: '您的技师账号已恢复。Your technician account was re-enabled.',
  };
  return { store: storeName, result: text[outcome] };
}
