import { subject } from '@casl/ability';
import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { DateTime } from 'luxon';
import type { TechnicianBusy } from '../../generated/prisma/client';
import type { Actor } from '../../platform/auth/actor';
import type { AppAbility } from '../../platform/authz/app-ability';
import { AuditService } from '../../platform/audit/audit.service';
import { BusyTimeRepository, type BlockRow } from './busy-time.repository';
import { BusyTimeService } from './busy-time.service';
import type { BusyBlockView, CreateBusyBlockDto } from './dto/busy-block.dto';
import { ShiftsRepository } from './shifts.repository';

/** The longest single block; longer absences are leave (shift overrides), not busy time. */
export const MAX_BLOCK_DAYS = 31;
const MAX_LIST_DAYS = 92;

const notFound = () => new NotFoundException({ code: 'NOT_FOUND', message: 'technician or block not found' });
const fieldError = (field: string, message: string) =>
  new BadRequestException({ code: 'VALIDATION_FAILED', message, fields: [{ field, messages: [message] }] });

/**
 * Store staff take a technician's time by hand (training, a personal errand). A block is a row
 * of `technician_busy` (kind `block`), so the same exclusion constraint that stops double
 * bookings refuses a block over an order's time and an order over a block (409 SLOT_TAKEN), and
 * availability stops offering it. Removing a block releases the row; it stays as history.
 */
@Injectable()
export class BusyBlocksService {
  constructor(
    private readonly busy: BusyTimeService,
    private readonly blocks: BusyTimeRepository,
    private readonly shifts: ShiftsRepository,
    private readonly audit: AuditService,
  ) {}

  async list(
    ability: AppAbility,
    technicianId: string,
    zone: string,
    from: string,
    to: string,
  ): Promise<BusyBlockView[]> {
    await this.authorize(ability, 'read', technicianId);
    const first = DateTime.fromISO(from, { zone });
    const last = DateTime.fromISO(to, { zone });
    if (!first.isValid) throw fieldError('from', 'from is not a calendar date');
    if (!last.isValid) throw fieldError('to', 'to is not a calendar date');
    if (last < first) throw fieldError('to', 'to must not be before from');
    if (last.diff(first, 'days').days > MAX_LIST_DAYS)
      throw fieldError('to', `at most ${MAX_LIST_DAYS} days after from`);
    const rows = await this.blocks.listActiveBlocks(technicianId, first.toJSDate(), last.plus({ days: 1 }).toJSDate());
    return rows.map(view);
  }

  async create(
    ability: AppAbility,
    actor: Actor,
    technicianId: string,
    dto: CreateBusyBlockDto,
    ip: string,
  ): Promise<BusyBlockView> {
    await this.authorize(ability, 'create', technicianId);
    const start = new Date(dto.start);
    const end = new Date(dto.end);
    if (!(end > start)) throw fieldError('end', 'end must be after start');
    if (!(end > new Date())) throw fieldError('end', 'a block must end in the future');
    if (end.getTime() - start.getTime() > MAX_BLOCK_DAYS * 86_400_000) {
      throw fieldError('end', `a block may last at most ${MAX_BLOCK_DAYS} days (use leave for longer absences)`);
    }
    const reason = dto.reason.trim();
    // 409 SLOT_TAKEN when it overlaps a booking, a checkout hold or another block.
    const { id } = await this.busy.hold(technicianId, { start, end }, 'block', { note: reason });
    await this.record(actor, 'technician.block_created', id, ip, {
      technicianId,
      start: start.toISOString(),
      end: end.toISOString(),
      reason,
    });
    const row = await this.blocks.findBlock(id);
    if (!row) throw new Error(`block ${id} vanished inside its own unit of work`);
    return view(row);
  }

  /** Idempotent: removing a block already removed answers the same; bookings and holds are not blocks (404). */
  async remove(ability: AppAbility, actor: Actor, id: string, ip: string): Promise<void> {
    const row = await this.blocks.findBlock(id);
    if (!row || !ability.can('delete', subject('TechnicianBusy', asSubject(row)))) throw notFound();
    if (await this.busy.release(id)) {
      await this.record(actor, 'technician.block_removed', id, ip, { technicianId: row.technicianId });
    }
  }

  private async authorize(ability: AppAbility, action: 'read' | 'create', technicianId: string): Promise<void> {
    if (!ability.can(action, subject('TechnicianBusy', asSubject({ technicianId })))) throw notFound();
    if (!(await this.shifts.technicianExists(technicianId))) throw notFound();
  }

  private record(actor: Actor, action: string, id: string, ip: string, details: Record<string, unknown>) {
    return this.audit.record({
      actorType: actor.kind,
      actorId: actor.id,
      action,
      targetType: 'technician_busy',
      targetId: id,
      ip,
      details,
    });
  }
}

function asSubject(row: { technicianId: string }): TechnicianBusy {
  return { technicianId: row.technicianId, kind: 'block' } as TechnicianBusy;
}

function view(row: BlockRow): BusyBlockView {
  return {
    id: row.id,
    technicianId: row.technicianId,
    start: row.start.toISOString(),
    end: row.end.toISOString(),
    reason: row.note ?? '',
    createdAt: row.createdAt.toISOString(),
  };
}
