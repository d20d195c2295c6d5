export const TECHNICIAN_STATUSES = ['applicant', 'pending_review', 'approved', 'rejected', 'disabled'] as const;
export type TechnicianStatus = (typeof TECHNICIAN_STATUSES)[number];

export type TechnicianEvent = 'submit' | 'approve' | 'reject' | 'disable' | 'enable';

/**
 * The review life cycle. A technician edits their application only before review or after a
 * rejection (an approved profile is the store's to change); staff approve or reject a pending
 * one; disabling is a soft removal that any state can reach, and only a disabled technician can
 * be re-enabled (straight to approved: re-enabling is itself the store's decision).
 */
const TRANSITIONS: Record<TechnicianEvent, { from: readonly TechnicianStatus[]; to: TechnicianStatus }> = {
  submit: { from: ['applicant', 'rejected'], to: 'pending_review' },
  approve: { from: ['pending_review'], to: 'approved' },
  reject: { from: ['pending_review'], to: 'rejected' },
  disable: { from: ['applicant', 'pending_review', 'approved', 'rejected'], to: 'disabled' },
  enable: { from: ['disabled'], to: 'approved' },
};

export function allowedFrom(event: TechnicianEvent): readonly TechnicianStatus[] {
  return TRANSITIONS[event].from;
}

export function targetOf(event: TechnicianEvent): TechnicianStatus {
  return TRANSITIONS[event].to;
}

/** The next status, or null when the event is not allowed in the current one. */
export function nextStatus(current: string, event: TechnicianEvent): TechnicianStatus | null {
  const t = TRANSITIONS[event];
  return (t.from as readonly string[]).includes(current) ? t.to : null;
}

/** Customers see, and dispatch offers, only approved technicians. */
export function isBookable(status: string): boolean {
  return status === 'approved';
}
