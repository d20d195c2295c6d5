import { Injectable, NotFoundException } from '@nestjs/common';
import type { DispatchLog } from '../../generated/prisma/client';
import type { Actor } from '../../platform/auth/actor';
import { orderNotFound } from './assignment.service';
import { CandidatesRepository } from './candidates.repository';
import { KIND_LABELS, labelOf, type DispatchLogKind } from './dispatch-labels';
import { DispatchRepository } from './dispatch.repository';
import type { DispatchLogDto, DispatchLogLineDto } from './dto/dispatch-log.dto';

/** What a technician may read about their own part in an order's dispatch. */
const TECHNICIAN_KINDS = new Set<string>([
  'offered',
  'declined',
  'expired',
  'withdrawn',
  'assigned',
  'reassigned',
  'grab_won',
  'grab_lost',
  'appeal',
]);
const SAFE_DETAILS = ['offerId', 'round', 'expiresAt', 'via'];

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

  async forTechnician(actor: Actor, orderId: string): Promise<DispatchLogDto> {
    const rows = await this.repo.logOf(orderId);
    const mine = (r: DispatchLog) => r.technicianId === actor.id;
    const wasMine = (r: DispatchLog) =>
      (r.details as { fromTechnicianId?: string } | null)?.fromTechnicianId === actor.id;
    if (!rows.some((r) => mine(r) || wasMine(r))) {
      throw new NotFoundException({ code: 'ORDER_NOT_FOUND', message: 'order not found' });
    }
    const lines: DispatchLogLineDto[] = [];
    let involved = false;
    for (const r of rows) {
      if (mine(r) && TECHNICIAN_KINDS.has(r.kind)) {
        involved = true;
        lines.push({ ...line(r), details: pick(r.details), actorId: null });
      } else if (mine(r)) {
        involved = true;
      } else if (involved && (r.kind === 'assigned' || r.kind === 'grab_won' || wasMine(r))) {
        // the outcome, without who: "taken by another technician at …"
        lines.push({
          ...line({ ...r, technicianId: null, score: null, reasonCode: null, details: {} }, 'taken'),
          actorType: 'system',
          actorId: null,
        });
      }
    }
    return { orderId, lines };
  }
}

function pick(details: unknown): Record<string, unknown> {
  const d = (details ?? {}) as Record<string, unknown>;
  return Object.fromEntries(SAFE_DETAILS.filter((k) => k in d).map((k) => [k, d[k]]));
}
