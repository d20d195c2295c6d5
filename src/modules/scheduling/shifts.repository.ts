import { Injectable } from '@nestjs/common';
import type { ShiftOverride, ShiftTemplate } from '../../generated/prisma/client';
import { TenantContext } from '../../platform/database/tenant-context';
import type { ShiftOverrideRule, ShiftTemplateRule } from './shift-expander';
import { dateToIsoDate, dateToTime, isoDateToDate, timeToDate } from './local-time';

export interface TemplateInput {
  weekday: number;
  startTime: string;
  endTime: string;
}

export interface OverrideInput {
  date: string;
  kind: 'work' | 'off' | 'leave';
  startTime: string | null;
  endTime: string | null;
  note: string | null;
}

@Injectable()
export class ShiftsRepository {
  constructor(private readonly tenantContext: TenantContext) {}

  private get db() {
    return this.tenantContext.db();
  }

  async technicianExists(id: string): Promise<boolean> {
    return (await this.db.technician.count({ where: { id } })) > 0;
  }

  listTemplates(technicianId: string): Promise<ShiftTemplate[]> {
    return this.db.shiftTemplate.findMany({
      where: { technicianId },
      orderBy: [{ weekday: 'asc' }, { startTime: 'asc' }],
    });
  }

  findTemplate(id: string): Promise<ShiftTemplate | null> {
    return this.db.shiftTemplate.findFirst({ where: { id } });
  }

  createTemplate(technicianId: string, t: TemplateInput): Promise<ShiftTemplate> {
    return this.db.shiftTemplate.create({
      data: {
        tenantId: this.tenantContext.tenantId(),
        technicianId,
        weekday: t.weekday,
        startTime: timeToDate(t.startTime),
        endTime: timeToDate(t.endTime),
      },
    });
  }

  updateTemplate(id: string, t: TemplateInput): Promise<ShiftTemplate> {
    return this.db.shiftTemplate.update({
      where: { tenantId_id: { tenantId: this.tenantContext.tenantId(), id } },
      data: { weekday: t.weekday, startTime: timeToDate(t.startTime), endTime: timeToDate(t.endTime) },
    });
  }

  async deleteTemplate(id: string): Promise<void> {
    await this.db.shiftTemplate.delete({ where: { tenantId_id: { tenantId: this.tenantContext.tenantId(), id } } });
  }

  listOverrides(technicianId: string, from: string, to: string): Promise<ShiftOverride[]> {
    return this.db.shiftOverride.findMany({
      where: { technicianId, localDate: { gte: isoDateToDate(from), lte: isoDateToDate(to) } },
      orderBy: [{ localDate: 'asc' }, { startTime: 'asc' }],
    });
  }

  findOverride(id: string): Promise<ShiftOverride | null> {
    return this.db.shiftOverride.findFirst({ where: { id } });
  }

  createOverride(technicianId: string, o: OverrideInput): Promise<ShiftOverride> {
    return this.db.shiftOverride.create({
      data: {
        tenantId: this.tenantContext.tenantId(),
        technicianId,
        localDate: isoDateToDate(o.date),
        kind: o.kind,
        startTime: o.startTime ? timeToDate(o.startTime) : null,
        endTime: o.endTime ? timeToDate(o.endTime) : null,
        note: o.note,
      },
    });
  }

  async deleteOverride(id: string): Promise<void> {
    await this.db.shiftOverride.delete({ where: { tenantId_id: { tenantId: this.tenantContext.tenantId(), id } } });
  }
}

export function templateRule(t: ShiftTemplate): ShiftTemplateRule {
  return { weekday: t.weekday, startTime: dateToTime(t.startTime), endTime: dateToTime(t.endTime) };
}

export function overrideRule(o: ShiftOverride): ShiftOverrideRule {
  return {
    date: dateToIsoDate(o.localDate),
    kind: o.kind as ShiftOverrideRule['kind'],
    startTime: o.startTime ? dateToTime(o.startTime) : null,
    endTime: o.endTime ? dateToTime(o.endTime) : null,
  };
}
