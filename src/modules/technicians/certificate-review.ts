import { CERTIFICATE_KINDS } from './dto/technician-fields';

export const CERTIFICATE_STATUSES = ['pending', 'verified', 'rejected'] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];
export type CertificateDecision = 'verify' | 'reject';

const TARGET: Record<CertificateDecision, CertificateStatus> = { verify: 'verified', reject: 'rejected' };

export function decisionTarget(decision: CertificateDecision): CertificateStatus {
  return TARGET[decision];
}

/**
 * What a decision does to a certificate in `current`: `change` it, or nothing (`same`) when that
 * decision is already in force, so a retried request neither audits nor notifies twice. A later
 * decision may overturn an earlier one (a licence found forged is rejected after all).
 */
export function decisionEffect(current: string, decision: CertificateDecision): 'change' | 'same' {
  return current === TARGET[decision] ? 'same' : 'change';
}

/** The columns a decision writes (the CHECKs in the migration hold them together). */
export function decisionData(decision: CertificateDecision, reviewerId: string, at: Date, reason?: string) {
  const status = TARGET[decision];
  return {
    status,
    verified: status === 'verified',
    rejectionReason: decision === 'reject' ? (reason ?? '').trim() : null,
    reviewedBy: reviewerId,
    reviewedAt: at,
  };
}

/** The columns of a certificate whose document changed meaning (another kind): back to review. */
export const PENDING_REVIEW = {
  status: 'pending',
  verified: false,
  rejectionReason: null,
  reviewedBy: null,
  reviewedAt: null,
} as const;

/** The public badges: each verified kind once, in the catalogue's order; never a file or number. */
export function verifiedKinds(certs: readonly { kind: string; status: string }[]): string[] {
  const verified = new Set(certs.filter((c) => c.status === 'verified').map((c) => c.kind));
  return CERTIFICATE_KINDS.filter((k) => verified.has(k));
}
