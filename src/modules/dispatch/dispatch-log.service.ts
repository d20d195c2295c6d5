import { Injectable, NotFoundException } from '@nestjs/common';
import type { DispatchLog } from '../../generated/prisma/client';
import type { Actor } from '../../platform/auth/actor';
import { orderNotFound } from './assignment.service';
import { CandidatesRepository } from './candidates.repository';
import { KIND_LABELS, labelOf, type DispatchLogKind } from './dispatch-labels';
import { DispatchRepository } from './dispatch.repository';
import type { DispatchRunView } from './dto/assign.dto';
import type { DispatchLogDto, DispatchLogLineDto } from './dto/dispatch-log.dto';
import { technicianView } from './technician-log-view';

type Row = Pick<DispatchLog, 'seq' | 'at' | 'kind' | 'technicianId' | 'score' | 'reasonCode' | 'details'> &
  Partial<Pick<DispatchLog, 'actorType' | 'actorId'>>;

function line(r: Row, kind = r.kind): DispatchLogLineDto {
  return {
    seq: Number(r.seq),
    at: r.at.toISOString(),
    kind,
    kindLabel: KIND_LABELS[kind as DispatchLogKind] ?? { zh: kind, en: kind },
    technicianId: r.technicianId,
    score: r.score ?? null,
    reasonCode: r.reasonCode,
    reasonLabel: labelOf(r.reasonCode),
    details: r.details,
    actorType: r.actorType ?? 'system',
    actorId: r.actorId ?? null,
  };
}

/**
 * The story of an order's dispatch. Staff read every line; a technician reads only their own
 * lines, plus "taken by another technician at …" (never by whom) when the order went elsewhere.
 */
@Injectable()
export class DispatchLogService {
  constructor(
    private readonly repo: DispatchRepository,
    private readonly orders: CandidatesRepository,
  ) {}

  async forStaff(orderId: string): Promise<DispatchLogDto> {
    if (!(await this.orders.order(orderId))) throw orderNotFound();
    return { orderId, lines: (await this.repo.logOf(orderId)).map((r) => line(r)) };
  }

  async runs(state: string): Promise<DispatchRunView[]> {
    return (await this.repo.runs(state)).map((r) => ({
      orderId: r.orderId,
      state: r.state,
      mode: r.mode,
      stepIndex: r.stepIndex,
      round: r.round,
      updatedAt: r.updatedAt.toISOString(),
    }));
  }

  async forTechnician(actor: Actor, orderId: string): Promise<DispatchLogDto> {
    const lines = technicianView(
      (await this.repo.logOf(orderId)).map((r) => line(r)),
      actor.id,
    );
    if (!lines) throw new NotFoundException({ code: 'ORDER_NOT_FOUND', message: 'order not found' });
    return { orderId, lines };
  }
}
