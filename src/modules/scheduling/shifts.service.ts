import { subject } from '@casl/ability';
import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { DateTime } from 'luxon';
import type { ShiftOverride, ShiftTemplate } from '../../generated/prisma/client';
import type { AppAbility } from '../../platform/authz/app-ability';
import { BusyTimeRepository } from './busy-time.repository';
import type {
  CreateShiftOverrideDto,
  CreateShiftTemplateDto,
  ShiftOverrideView,
  ShiftTemplateView,
  UpdateShiftTemplateDto,
  WeekView,
} from './dto/shift.dto';
import { dateToIsoDate, dateToTime } from './local-time';
import { expandShifts } from './shift-expander';
import { overrideRule, ShiftsRepository, templateRule } from './shifts.repository';

type Action = 'read' | 'create' | 'update' | 'delete';
const notFound = () => new NotFoundException({ code: 'NOT_FOUND', message: 'technician or shift not found' });

/**
 * Shift templates and per-date overrides. Every use case first makes sure the technician is in
 * this store and the actor may act on that technician's schedule; otherwise 404 (another store's
 * ids and other technicians' schedules look the same as ids that do not exist).
 */
@Injectable()
export class ShiftsService {
  constructor(
    private readonly repo: ShiftsRepository,
    private readonly busy: BusyTimeRepository,
  ) {}

  async listTemplates(ability: AppAbility, technicianId: string): Promise<ShiftTemplateView[]> {
    await this.authorize(ability, 'read', 'ShiftTemplate', technicianId);
    return (await this.repo.listTemplates(technicianId)).map(templateView);
  }

  async createTemplate(ability: AppAbility, technicianId: string, dto: CreateShiftTemplateDto) {
    await this.authorize(ability, 'create', 'ShiftTemplate', technicianId);
    assertNonEmpty(dto.startTime, dto.endTime);
    return templateView(await this.repo.createTemplate(technicianId, dto));
  }

  async updateTemplate(ability: AppAbility, id: string, dto: UpdateShiftTemplateDto) {
    const row = await this.repo.findTemplate(id);
    if (!row) throw notFound();
    await this.authorize(ability, 'update', 'ShiftTemplate', row.technicianId);
    const current = templateView(row);
    // DTO instances carry every declared property, the absent ones as undefined.
    const next = {
      weekday: dto.weekday ?? current.weekday,
      startTime: dto.startTime ?? current.startTime,
      endTime: dto.endTime ?? current.endTime,
    };
    assertNonEmpty(next.startTime, next.endTime);
    return templateView(await this.repo.updateTemplate(id, next));
  }

  async deleteTemplate(ability: AppAbility, id: string): Promise<void> {
    const row = await this.repo.findTemplate(id);
    if (!row) throw notFound();
    await this.authorize(ability, 'delete', 'ShiftTemplate', row.technicianId);
    await this.repo.deleteTemplate(id);
  }

  async listOverrides(ability: AppAbility, technicianId: string, from: string, to: string) {
    await this.authorize(ability, 'read', 'ShiftOverride', technicianId);
    if (to < from) throw fieldError('to', 'to must not be before from');
    return (await this.repo.listOverrides(technicianId, from, to)).map(overrideView);
  }

  async createOverride(ability: AppAbility, technicianId: string, dto: CreateShiftOverrideDto) {
    await this.authorize(ability, 'create', 'ShiftOverride', technicianId);
    const startTime = dto.startTime ?? null;
    const endTime = dto.endTime ?? null;
    if (!DateTime.fromISO(dto.date).isValid) throw fieldError('date', 'date is not a calendar date');
    if (dto.kind === 'work' && (startTime === null || endTime === null)) {
      throw fieldError(startTime === null ? 'startTime' : 'endTime', 'a work override needs startTime and endTime');
    }
    if (dto.kind === 'off' && (startTime !== null || endTime !== null)) {
      throw fieldError(startTime !== null ? 'startTime' : 'endTime', 'a day off has no times');
    }
    if (dto.kind === 'leave' && (startTime === null) !== (endTime === null)) {
      throw fieldError(startTime === null ? 'startTime' : 'endTime', 'leave needs both times or neither');
    }
    if (startTime !== null && endTime !== null) assertNonEmpty(startTime, endTime);
    const row = await this.repo.createOverride(technicianId, {
      date: dto.date,
      kind: dto.kind,
      startTime,
      endTime,
      note: dto.note ?? null,
    });
    return overrideView(row);
  }

  async deleteOverride(ability: AppAbility, id: string): Promise<void> {
    const row = await this.repo.findOverride(id);
    if (!row) throw notFound();
    await this.authorize(ability, 'delete', 'ShiftOverride', row.technicianId);
    await this.repo.deleteOverride(id);
  }

  /** The technician's concrete shifts and busy time for 7 local days, in the store's zone. */
  async week(ability: AppAbility, technicianId: string, zone: string, start?: string): Promise<WeekView> {
    await this.authorize(ability, 'read', 'ShiftTemplate', technicianId);
    const first = start ? DateTime.fromISO(start, { zone }) : DateTime.now().setZone(zone).startOf('week'); // luxon weeks start on Monday
    if (!first.isValid) throw fieldError('start', 'start is not a calendar date');
    const range = { start: first.toMillis(), end: first.plus({ days: 7 }).toMillis() };
    const lastDate = first.plus({ days: 6 }).toISODate()!;
    const firstDate = first.toISODate()!;
    const [templates, overrides, busy] = await Promise.all([
      this.repo.listTemplates(technicianId),
      this.repo.listOverrides(technicianId, first.minus({ days: 1 }).toISODate()!, lastDate),
      this.busy.activeOverlapping([technicianId], new Date(range.start), new Date(range.end)),
    ]);
    const shifts = expandShifts({
      zone,
      range,
      templates: templates.map(templateRule),
      overrides: overrides.map(overrideRule),
    }).map((i) => {
      const s = DateTime.fromMillis(i.start, { zone });
      const e = DateTime.fromMillis(i.end, { zone });
      return {
        start: new Date(i.start).toISOString(),
        end: new Date(i.end).toISOString(),
        localDate: s.toISODate()!,
        localStart: s.toFormat('HH:mm'),
        localEnd: e.toFormat('HH:mm'),
      };
    });
    return {
      technicianId,
      zone,
      start: firstDate,
      end: lastDate,
      shifts,
      busy: busy.map((b) => ({ start: b.start.toISOString(), end: b.end.toISOString(), kind: b.kind })),
    };
  }

  private async authorize(
    ability: AppAbility,
    action: Action,
    type: 'ShiftTemplate' | 'ShiftOverride',
    technicianId: string,
  ): Promise<void> {
    if (!ability.can(action, subject(type, { technicianId } as ShiftTemplate & ShiftOverride))) throw notFound();
    if (!(await this.repo.technicianExists(technicianId))) throw notFound();
  }
}

function templateView(t: ShiftTemplate): ShiftTemplateView {
  return {
    id: t.id,
    technicianId: t.technicianId,
    weekday: t.weekday,
    startTime: dateToTime(t.startTime),
    endTime: dateToTime(t.endTime),
  };
}

function overrideView(o: ShiftOverride): ShiftOverrideView {
  return {
    id: o.id,
    technicianId: o.technicianId,
    date: dateToIsoDate(o.localDate),
    kind: o.kind,
    startTime: o.startTime ? dateToTime(o.startTime) : null,
    endTime: o.endTime ? dateToTime(o.endTime) : null,
    note: o.note,
  };
}

function assertNonEmpty(startTime: string, endTime: string): void {
  if (startTime === endTime) throw fieldError('endTime', 'endTime must differ from startTime');
}

function fieldError(field: string, message: string): BadRequestException {
  return new BadRequestException({ code: 'VALIDATION_FAILED', message, fields: [{ field, messages: [message] }] });
}
