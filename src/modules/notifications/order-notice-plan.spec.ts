import { describe, expect, it } from 'vitest';
import { planOrderNotices as sut, type OrderFacts } from './order-notice-plan';

const facts: OrderFacts = {
  orderNo: 'JA2611260001',
  customerId: 'c1',
  technicianId: 't1',
  technicianName: '李技师',
  serviceName: '全身推拿',
  startAt: new Date('2026-11-26T02:00:00Z'),
  timeZone: 'Asia/Shanghai',
  refundedFen: 0,
};
const change = (event: string, details: Record<string, unknown> = {}) => ({ event, from: 'x', to: 'y', details });

describe('planOrderNotices', () => {
  it('tells the customer and the staff of a payment', () => {
    const plan = sut(change('pay'), facts);
    expect(plan.map((p) => [p.to === 'staff' ? 'staff' : p.to.type, p.template])).toEqual([
      ['customer', 'order.paid'],
      ['staff', 'staff.new_order'],
    ]);
    expect(plan[1]!.channels).toContain('email');
  });

  it('tells both the customer and the technician of an assignment, by SMS too', () => {
    const plan = sut(change('assign'), facts);
    expect(plan.map((p) => p.template)).toEqual(['order.assigned', 'order.new_assignment']);
    expect(plan.every((p) => p.channels.includes('sms'))).toBe(true);
    expect(plan[1]!.to).toEqual({ type: 'technician', id: 't1' });
  });

  it('carries the refund of a cancellation to the customer only', () => {
    const plan = sut(change('cancel', { refundFen: 15840 }), facts);
    expect(plan[0]).toMatchObject({ template: 'order.cancelled', params: { refundFen: 15840 } });
    expect(plan[1]).toMatchObject({ to: { type: 'technician' }, params: { refundFen: null } });
    expect(sut(change('cancel'), { ...facts, technicianId: null })).toHaveLength(1);
  });

  it('uses the refunded amount of the event, else the order total refunded', () => {
    expect(sut(change('refund_partial', { amountFen: 500 }), facts)[0]!.params).toMatchObject({ amountFen: 500 });
    expect(sut(change('refund'), { ...facts, refundedFen: 900 })[0]!.params).toMatchObject({ amountFen: 900 });
  });

  it('stays quiet for moves nobody waits for', () => {
    for (const e of ['dispatch', 'accept', 'start_service', 'extend', 'review', 'decline']) {
      expect(sut(change(e), facts)).toEqual([]);
    }
  });
});
