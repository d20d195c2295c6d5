import { ConflictException } from '@nestjs/common';
import { describe, expect, it, vi } from 'vitest';
import type { Order } from '../../generated/prisma/client';
import type { BusyTimeService } from '../scheduling/busy-time.service';
import { SYSTEM } from './order-actor';
import type { OrderTimersService } from './order-timers.service';
import { OrderTransitions } from './order-transitions.service';
import type { OrdersRepository } from './orders.repository';

function setup(order: Partial<Order>, oneStatement = true) {
  const row = { id: 'o1', status: 'pending_payment', technicianId: null, endAt: new Date(0), ...order } as Order;
  const repo = {
    lock: vi.fn(async () => row),
    updateWithEvent: vi.fn(async (_id: string, data: { status: string }) =>
      oneStatement ? ({ ...row, ...data } as Order) : null,
    ),
    update: vi.fn(async (_id: string, data: { status: string }) => ({ ...row, ...data }) as Order),
    insertEvent: vi.fn(async () => ({})),
    settings: vi.fn(async () => null),
  };
  const busy = { releaseByReference: vi.fn(async () => 1) };
  const timers = { overrunCheck: vi.fn(async () => 'job') };
  const sut = new OrderTransitions(
    repo as unknown as OrdersRepository,
    busy as unknown as BusyTimeService,
    timers as unknown as OrderTimersService,
  );
  return { sut, repo, busy, timers };
}

describe('OrderTransitions.apply', () => {
  it('refuses an illegal move with 409 ILLEGAL_TRANSITION and writes nothing', async () => {
    const { sut, repo } = setup({ status: 'pending_payment' });
    const err = await sut.apply('o1', 'complete', SYSTEM).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictException);
    expect((err as ConflictException).getResponse()).toMatchObject({ code: 'ILLEGAL_TRANSITION' });
    expect(repo.updateWithEvent).not.toHaveBeenCalled();
    expect(repo.update).not.toHaveBeenCalled();
    expect(repo.insertEvent).not.toHaveBeenCalled();
  });

  it('writes the status and one event with who, from, to and why (one statement)', async () => {
    const { sut, repo } = setup({ status: 'paid' });
    const out = await sut.apply('o1', 'dispatch', { type: 'staff', id: 's1' }, 'manual');
    expect(out.status).toBe('dispatching');
    expect(repo.update).not.toHaveBeenCalled();
    expect(repo.updateWithEvent).toHaveBeenCalledWith(
      'o1',
      { status: 'dispatching' },
      expect.objectContaining({
        event: 'dispatch',
        fromStatus: 'paid',
        toStatus: 'dispatching',
        actorType: 'staff',
        actorId: 's1',
        reason: 'manual',
      }),
    );
  });

  it('falls back to update + insertEvent for a patch one statement cannot take', async () => {
    const { sut, repo } = setup({ status: 'paid' }, false);
    const out = await sut.apply('o1', 'dispatch', { type: 'staff', id: 's1' }, 'manual');
    expect(out.status).toBe('dispatching');
    expect(repo.update).toHaveBeenCalledWith('o1', { status: 'dispatching' });
    expect(repo.insertEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        orderId: 'o1',
        event: 'dispatch',
        fromStatus: 'paid',
        toStatus: 'dispatching',
        actorType: 'staff',
        actorId: 's1',
        reason: 'manual',
      }),
    );
  });

  it('releases the technician on cancel and schedules the overrun check on start', async () => {
    const cancelled = setup({ status: 'assigned', technicianId: 't1' });
    await cancelled.sut.apply('o1', 'cancel', SYSTEM);
    expect(cancelled.busy.releaseByReference).toHaveBeenCalledWith('o1');
    const started = setup({ status: 'arrived', technicianId: 't1', endAt: new Date('2026-11-26T10:00:00Z') });
    await started.sut.apply('o1', 'start_service', SYSTEM);
    expect(started.timers.overrunCheck).toHaveBeenCalledWith(expect.anything(), new Date('2026-11-26T10:15:00Z'));
  });
});
