import { describe, expect, it } from 'vitest';
import { ORDER_EVENTS, ORDER_STATUSES, transition as sut, type OrderEventName, type OrderStatus } from './order-state';

/** Every legal move, written out by hand (not derived from the table under test). */
const LEGAL: Array<[OrderStatus, OrderEventName, OrderStatus]> = [
  ['pending_payment', 'pay', 'paid'],
  ['pending_payment', 'confirm_unpaid', 'dispatching'],
  ['paid', 'dispatch', 'dispatching'],
  ['paid', 'assign', 'assigned'],
  ['dispatching', 'assign', 'assigned'],
  ['assigned', 'decline', 'dispatching'],
  ['assigned', 'reassign', 'assigned'],
  ['accepted', 'reassign', 'assigned'],
  ['assigned', 'accept', 'accepted'],
  ['accepted', 'depart', 'departed'],
  ['departed', 'arrive', 'arrived'],
  ['arrived', 'start_service', 'in_service'],
  ['in_service', 'extend', 'in_service'],
  ['in_service', 'complete', 'completed'],
  ['completed', 'review', 'reviewed'],
  ['pending_payment', 'cancel', 'cancelled'],
  ['paid', 'cancel', 'cancelled'],
  ['dispatching', 'cancel', 'cancelled'],
  ['assigned', 'cancel', 'cancelled'],
  ['accepted', 'cancel', 'cancelled'],
  ['departed', 'cancel', 'cancelled'],
  ['arrived', 'cancel', 'cancelled'],
  ['cancelled', 'refund', 'refunded'],
  ['completed', 'refund', 'refunded'],
  ['reviewed', 'refund', 'refunded'],
  ['partially_refunded', 'refund', 'refunded'],
  ['cancelled', 'refund_partial', 'partially_refunded'],
  ['completed', 'refund_partial', 'partially_refunded'],
  ['reviewed', 'refund_partial', 'partially_refunded'],
  ['partially_refunded', 'refund_partial', 'partially_refunded'],
];

describe('order state machine', () => {
  const legal = new Map(LEGAL.map(([from, ev, to]) => [`${from}/${ev}`, to]));
  const pairs = ORDER_STATUSES.flatMap((s) => ORDER_EVENTS.map((e) => [s, e] as const));

  it('covers all 13 statuses × 16 events', () => {
    expect(pairs).toHaveLength(13 * 16);
  });

  it.each(LEGAL)('%s --%s--> %s', (from, event, to) => {
    expect(sut(from, event)).toBe(to);
  });

  it.each(pairs.filter(([s, e]) => !legal.has(`${s}/${e}`)))('%s --%s--> illegal', (from, event) => {
    expect(sut(from, event)).toBeNull();
    expect(sut(from, event, { technicianChosen: true })).toBeNull();
  });

  it('pay on arrival goes straight to the chosen technician, or to dispatch', () => {
    expect(sut('pending_payment', 'confirm_unpaid', { technicianChosen: true })).toBe('assigned');
    expect(sut('pending_payment', 'confirm_unpaid', { technicianChosen: false })).toBe('dispatching');
  });

  it('cannot cancel once the service has begun', () => {
    for (const s of ['in_service', 'completed', 'reviewed', 'refunded'] as const) expect(sut(s, 'cancel')).toBeNull();
  });

  it('a fully refunded order is final', () => {
    for (const e of ORDER_EVENTS) expect(sut('refunded', e)).toBeNull();
  });
});
