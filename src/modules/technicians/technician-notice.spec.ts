import { describe, expect, it } from 'vitest';
import { checkNotice as sut, reviewNoticeParams } from './technician-notice';

describe('checkNotice', () => {
  it('sends when the decision is what the technician row shows', () => {
    expect(sut('approved', 'approved')).toBe('send');
    expect(sut('enabled', 'approved')).toBe('send');
    expect(sut('rejected', 'rejected')).toBe('send');
    expect(sut('disabled', 'disabled')).toBe('send');
  });
  it('waits (retries) while the row still shows the state the decision started from', () => {
    expect(sut('approved', 'pending_review')).toBe('not_visible_yet');
    expect(sut('rejected', 'pending_review')).toBe('not_visible_yet');
    expect(sut('enabled', 'disabled')).toBe('not_visible_yet');
  });
  it('drops a superseded decision', () => {
    expect(sut('approved', 'disabled')).toBe('superseded');
    expect(sut('enabled', 'rejected')).toBe('superseded');
  });
});

describe('reviewNoticeParams', () => {
  it('includes the rejection reason, zh-CN first', () => {
    expect(reviewNoticeParams('rejected', '门店', '照片不清晰').result).toMatch(/^您的技师入驻申请未通过：照片不清晰/);
  });
});
