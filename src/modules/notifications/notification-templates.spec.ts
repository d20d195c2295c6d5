import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { NOTIFICATION_TEMPLATES, notificationLocale, renderNotification as sut } from './notification-templates';

describe('renderNotification', () => {
  it('formats the start in the store zone, per locale', () => {
    const p = { orderNo: 'A1', technicianName: '李技师', startAt: '2026-11-26T02:00:00Z', timeZone: 'Asia/Shanghai' };
    expect(sut('order.assigned', 'zh-CN', p).body).toContain('11月26日 10:00');
    expect(sut('order.assigned', 'en', p).body).toContain('Nov 26, 10:00');
  });

  it('writes the start exactly as luxon did, for any instant, zone or text', () => {
    const check = (startAt: string, timeZone: string) => {
      const p = { orderNo: 'A1', serviceName: 's', startAt, timeZone };
      const dt = DateTime.fromISO(startAt).setZone(timeZone);
      expect(sut('staff.new_order', 'zh-CN', p).body).toBe(`新订单 A1：s，${dt.toFormat('M月d日 HH:mm')} 开始。`);
      expect(sut('staff.new_order', 'en', p).body).toContain(` at ${dt.setLocale('en').toFormat('MMM d, HH:mm')}`);
    };
    const zones = ['Asia/Shanghai', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu'];
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2032-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.constantFrom(...zones),
        fc.boolean(),
        (at, zone, millis) => check(millis ? at.toISOString() : at.toISOString().replace(/\.\d{3}Z$/, 'Z'), zone),
      ),
      { numRuns: 3_000 },
    );
    // what the fast path leaves to luxon: other ISO shapes, nonsense, an unknown zone
    for (const text of [
      '2026-11-26T10:00:00+08:00',
      '2026-11-26T10:00',
      '2026-11-26',
      '2026-02-30T00:00:00Z',
      'soon',
      '',
    ]) {
      check(text, 'Asia/Shanghai');
    }
    check('2026-11-26T02:00:00.000Z', 'Mars/Olympus');
  });

  it('names the refund amount in yuan only when there is one', () => {
    expect(sut('order.cancelled', 'zh-CN', { orderNo: 'A1', refundFen: 15840 }).body).toContain('¥158.40');
    expect(sut('order.cancelled', 'zh-CN', { orderNo: 'A1', refundFen: 0 }).body).not.toContain('¥');
    expect(sut('order.cancelled', 'en', { orderNo: 'A1', refundFen: null }).body).toBe('Order A1 was cancelled.');
  });

  it('has a zh-CN and an English text for every template', () => {
    expect(NOTIFICATION_TEMPLATES.length).toBeGreaterThanOrEqual(14);
    const zhTitles = new Set<string>();
    for (const name of NOTIFICATION_TEMPLATES) {
      const params = {
        orderNo: 'A1',
        serviceName: 's',
        technicianName: 't',
        startAt: '2026-11-26T02:00:00Z',
        timeZone: 'Asia/Shanghai',
        refundFen: 1,
        amountFen: 1,
        storeName: 'x',
        reason: 'r',
        minutes: 5,
      };
      const zh = sut(name, 'zh-CN', params as never);
      const en = sut(name, 'en', params as never);
      expect(zh.title).toMatch(/\p{Script=Han}/u);
      expect(en.title).not.toMatch(/\p{Script=Han}/u);
      zhTitles.add(zh.title);
    }
    expect(zhTitles.size).toBe(NOTIFICATION_TEMPLATES.length);
  });

  it('falls back to zh-CN for unknown locales', () => {
    expect(notificationLocale('en')).toBe('en');
    expect(notificationLocale('fr')).toBe('zh-CN');
    expect(notificationLocale(null)).toBe('zh-CN');
  });
});
