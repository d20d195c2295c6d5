import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import type { Actor } from '../../platform/auth/actor';
import type { AppAbility } from '../../platform/authz/app-ability';
import { accessibleBy } from '../../platform/authz/casl-prisma';
import { AuditService } from '../../platform/audit/audit.service';
import type { CreateTierDto, TierDto, UpdateTierDto } from './dto/tier.dto';
import { TechnicianTiersRepository } from './technician-tiers.repository';

const tierNotFound = () => new NotFoundException({ code: 'TIER_NOT_FOUND', message: 'tier not found' });

/** Technician tiers and their commission rates (basis points). */
@Injectable()
export class TechnicianTiersService {
  constructor(
    private readonly repo: TechnicianTiersRepository,
    private readonly audit: AuditService,
  ) {}

  list(ability: AppAbility): Promise<TierDto[]> {
    return this.repo.list(accessibleBy(ability).ofType('TechnicianTier'));
  }

  async create(actor: Actor, dto: CreateTierDto, ip: string): Promise<TierDto> {
    if (await this.repo.codeTaken(dto.code)) {
      throw new ConflictException({
        code: 'TIER_CODE_TAKEN',
        message: 'a tier with this code exists',
        fields: [{ field: 'code', messages: ['already used in this store'] }],
      });
    }
    const tier = await this.repo.create({ ...dto, name: dto.name.trim() });
    await this.record(actor, 'technician_tier.created', tier.id, ip, {
      code: tier.code,
      commissionBps: tier.commissionBps,
    });
    return tier;
  }

  async update(ability: AppAbility, actor: Actor, id: string, dto: UpdateTierDto, ip: string): Promise<TierDto> {
    const before = await this.repo.findOne(accessibleBy(ability).ofType('TechnicianTier'), id);
    if (!before) throw tierNotFound();
    const tier = await this.repo.update(accessibleBy(ability, 'update').ofType('TechnicianTier'), id, dto);
    if (!tier) throw tierNotFound();
    // Commission changes affect pay: keep the before/after in the audit trail.
    await this.record(actor, 'technician_tier.updated', id, ip, {
      commissionBps: { from: before.commissionBps, to: tier.commissionBps },
    });
    return tier;
  }

  async remove(ability: AppAbility, actor: Actor, id: string, ip: string): Promise<void> {
    const tier = await this.repo.findOne(accessibleBy(ability).ofType('TechnicianTier'), id);
    if (!tier) throw tierNotFound();
    const users = await this.repo.inUse(id);
    if (users > 0) {
      throw new ConflictException({
        code: 'TIER_IN_USE',
        message: `${users} technician(s) still have this tier; move them first`,
        technicians: users,
      });
    }
    if (!(await this.repo.delete(accessibleBy(ability, 'delete').ofType('TechnicianTier'), id))) throw tierNotFound();
    await this.record(actor, 'technician_tier.deleted', id, ip, { code: tier.code });
  }

  private record(actor: Actor, action: string, id: string, ip: string, details: Record<string, unknown>) {
    return this.audit.record({
      actorType: actor.kind,
      actorId: actor.id,
      action,
      targetType: 'technician_tier',
      targetId: id,
      ip,
      details,
    });
  }
}
