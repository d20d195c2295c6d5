import { describe, expect, it } from 'vitest';
import { decisionData, decisionEffect, verifiedKinds } from './certificate-review';

describe('certificate review', () => {
  it('changes a pending certificate either way and lets a later decision overturn an earlier one', () => {
    expect(decisionEffect('pending', 'verify')).toBe('change');
    expect(decisionEffect('pending', 'reject')).toBe('change');
    expect(decisionEffect('verified', 'reject')).toBe('change');
    expect(decisionEffect('rejected', 'verify')).toBe('change');
  });

  it('treats a repeat of the decision in force as nothing to do', () => {
    expect(decisionEffect('verified', 'verify')).toBe('same');
    expect(decisionEffect('rejected', 'reject')).toBe('same');
  });

  it('writes the reason only for a rejection, and keeps `verified` equal to the status', () => {
    const at = new Date('2026-12-01T02:00:00Z');
    expect(decisionData('verify', 'u1', at, 'ignored')).toEqual({
      status: 'verified',
      verified: true,
      rejectionReason: null,
      reviewedBy: 'u1',
      reviewedAt: at,
    });
    expect(decisionData('reject', 'u1', at, '  照片模糊  ')).toMatchObject({
      status: 'rejected',
      verified: false,
      rejectionReason: '照片模糊',
    });
  });

  it('badges each verified kind once, in catalogue order, and nothing pending or rejected', () => {
    expect(
      verifiedKinds([
        { kind: 'training', status: 'verified' },
        { kind: 'massage_license', status: 'verified' },
        { kind: 'massage_license', status: 'verified' },
        { kind: 'health_certificate', status: 'rejected' },
        { kind: 'other', status: 'pending' },
      ]),
    ).toEqual(['massage_license', 'training']);
  });
});
