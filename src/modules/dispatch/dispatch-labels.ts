import type { ExclusionReason } from './eligibility';

/** Kinds of dispatch-log lines: every decision about an order writes one. */
export const DISPATCH_LOG_KINDS = [
  'considered',
  'excluded',
  'scored',
  'offered',
  'declined',
  'expired',
  'withdrawn',
  'escalated',
  'needs_staff',
  'assigned',
  'reassigned',
  'grab_opened',
  'grab_won',
  'grab_lost',
  'appeal',
  'pool_published',
  'pool_taken',
] as const;
export type DispatchLogKind = (typeof DISPATCH_LOG_KINDS)[number];

export interface Label {
  zh: string;
  en: string;
}

export const KIND_LABELS: Record<DispatchLogKind | 'taken', Label> = {
  considered: { zh: '纳入考虑', en: 'considered' },
  excluded: { zh: '不符合条件', en: 'excluded' },
  scored: { zh: '参与排序', en: 'scored' },
  offered: { zh: '已派单邀约', en: 'offered' },
  declined: { zh: '技师拒单', en: 'declined' },
  expired: { zh: '超时未响应', en: 'offer expired' },
  withdrawn: { zh: '邀约已撤回', en: 'offer withdrawn' },
  escalated: { zh: '扩大派单范围', en: 'search radius widened' },
  needs_staff: { zh: '无人接单，需人工派单', en: 'unassigned — needs staff' },
  assigned: { zh: '已派给技师', en: 'assigned' },
  reassigned: { zh: '转派', en: 'reassigned' },
  grab_opened: { zh: '进入抢单大厅', en: 'opened for grabbing' },
  grab_won: { zh: '抢单成功', en: 'grab won' },
  grab_lost: { zh: '已被其他技师抢走', en: 'taken by another technician' },
  appeal: { zh: '技师申诉', en: 'appeal' },
  pool_published: { zh: '发布到共享订单池', en: 'published to the shared pool' },
  pool_taken: { zh: '共享订单池中被他店技师接单', en: 'taken from the shared pool by another store' },
  taken: { zh: '已被其他技师接单', en: 'taken by another technician' },
};

export const REASON_LABELS: Record<ExclusionReason | string, Label> = {
  not_approved: { zh: '技师未通过审核或已停用', en: 'not approved or disabled' },
  offline: { zh: '技师未上线', en: 'offline' },
  blocked: { zh: '顾客已屏蔽该技师', en: 'blocked by the customer' },
  skills: { zh: '技能不匹配', en: 'missing a required skill' },
  too_far: { zh: '超出当前派单半径', en: 'outside the current radius' },
  off_shift: { zh: '不在排班时间内', en: 'not on shift for the order (incl. travel)' },
  busy: { zh: '时间冲突（含路程与缓冲）', en: 'busy (incl. travel and buffer)' },
  eta_late: { zh: '无法按时到达', en: 'cannot arrive in time' },
  radius_exhausted: { zh: '当前半径内无可派技师', en: 'nobody left within this radius' },
  steps_exhausted: { zh: '所有半径均无人接单', en: 'nobody took it at any radius' },
  pool_unclaimed: { zh: '共享订单池中无人接单', en: 'nobody took it from the shared pool in time' },
  manual_mode: { zh: '门店为人工派单模式', en: 'the store dispatches by hand' },
  timeout: { zh: '响应超时', en: 'no answer in time' },
  technician_declined: { zh: '技师拒绝', en: 'the technician declined' },
  assignment_declined: { zh: '技师退回已派订单', en: 'the assigned technician gave the order back' },
  order_moved_on: { zh: '订单已不在派单中', en: 'the order is no longer being dispatched' },
  assigned_elsewhere: { zh: '订单已派给他人', en: 'the order went to someone else' },
};

export function labelOf(code: string | null): Label | null {
  if (code === null) return null;
  return REASON_LABELS[code] ?? { zh: code, en: code };
}
