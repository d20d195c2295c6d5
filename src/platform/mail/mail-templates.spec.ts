import { describe, expect, it } from 'vitest';
import { renderMail as sut } from './mail-templates';

describe('renderMail', () => {
  it('renders the verification mail in Chinese with the link in text and HTML', () => {
    const m = sut('signup.verify', 'zh-CN', {
      ownerName: '王店长',
      storeName: '静安足道',
      link: 'https://x.test/api/signup/verify?token=abc&x=1',
      expiresHours: 24,
    });
    expect(m.subject).toContain('静安足道');
    expect(m.text).toContain('https://x.test/api/signup/verify?token=abc&x=1');
    expect(m.text).toContain('24 小时');
    expect(m.html).toContain('href="https://x.test/api/signup/verify?token=abc&#38;x=1"');
  });
  it('renders English when asked', () => {
    const m = sut('store.approved', 'en', { ownerName: 'Li', storeName: 'Calm', storeUrl: 'https://calm.x.test/' });
    expect(m.subject).toBe('"Calm" has been approved');
    expect(m.text).toContain('https://calm.x.test/');
  });
  it('includes the rejection reason and escapes it in HTML', () => {
    const m = sut('store.rejected', 'zh-CN', { ownerName: '李', storeName: '店', reason: '资质<不全>' });
    expect(m.text).toContain('原因：资质<不全>');
    expect(m.html).toContain('资质&#60;不全&#62;');
    expect(m.html).not.toContain('<不全>');
  });
});
