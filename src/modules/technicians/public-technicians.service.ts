import { Injectable } from '@nestjs/common';
import type { Prisma } from '../../generated/prisma/client';
import type { PublicTechniciansQuery } from './dto/list-technicians.query';
import type { PublicTechnicianDto, PublicTechnicianListDto } from './dto/technician.dto';
import { technicianNotFound } from './technician-errors';
import { toPublic } from './technician-view';
import { TechniciansRepository } from './technicians.repository';
import { ServiceSkills } from './service-skills';

/** What customers browse: approved technicians, public fields only (see the repository's PUBLIC select). */
@Injectable()
export class PublicTechniciansService {
  constructor(
    private readonly repo: TechniciansRepository,
    private readonly serviceSkills: ServiceSkills,
  ) {}

  async list(q: PublicTechniciansQuery): Promise<PublicTechnicianListDto> {
    const filters: Prisma.TechnicianWhereInput[] = [];
    if (q.skill) filters.push({ skills: { has: q.skill } });
    if (q.serviceId) {
      const required = await this.serviceSkills.requiredFor(q.serviceId);
      // An unknown service offers nobody (not an error: the page may be stale).
      if (required === null) return { items: [] };
      if (required.length > 0) filters.push({ skills: { hasEvery: required } });
    }
    const rows = await this.repo.listPublic({ AND: filters }, q.limit);
    return { items: rows.map(toPublic) };
  }

  async get(id: string): Promise<PublicTechnicianDto> {
    const row = await this.repo.findPublic(id);
    if (!row) throw technicianNotFound();
    return toPublic(row);
  }
}
