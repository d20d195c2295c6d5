import { describe, expect, it } from 'vitest';
import { TECHNICIAN_STATUSES, isBookable, nextStatus as sut } from './technician-status';

describe('technician status transitions', () => {
  it('lets an applicant or a rejected technician submit, nobody else', () => {
    expect(sut('applicant', 'submit')).toBe('pending_review');
    expect(sut('rejected', 'submit')).toBe('pending_review');
    expect(sut('pending_review', 'submit')).toBeNull();
    expect(sut('approved', 'submit')).toBeNull();
    expect(sut('disabled', 'submit')).toBeNull();
  });

  it('reviews only pending applications', () => {
    for (const s of TECHNICIAN_STATUSES) {
      expect(sut(s, 'approve')).toBe(s === 'pending_review' ? 'approved' : null);
      expect(sut(s, 'reject')).toBe(s === 'pending_review' ? 'rejected' : null);
    }
  });

  it('disables from any live state and re-enables only a disabled one', () => {
    for (const s of TECHNICIAN_STATUSES) {
      expect(sut(s, 'disable')).toBe(s === 'disabled' ? null : 'disabled');
      expect(sut(s, 'enable')).toBe(s === 'disabled' ? 'approved' : null);
    }
    expect(sut('unknown', 'approve')).toBeNull();
  });

  it('offers only approved technicians', () => {
    expect(TECHNICIAN_STATUSES.filter(isBookable)).toEqual(['approved']);
  });
});
