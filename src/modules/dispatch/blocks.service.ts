import { Injectable, NotFoundException } from '@nestjs/common';
import type { Actor } from '../../platform/auth/actor';
import { AppealsRepository } from './appeals.repository';
import type { BlockView, CreateBlockDto } from './dto/block.dto';

const technicianNotFound = () =>
  new NotFoundException({
    code: 'TECHNICIAN_NOT_FOUND',
    message: 'technician not found',
    fields: [{ field: 'technicianId', messages: ['技师不存在 / no such technician'] }],
  });

/** A customer's own block list: dispatch never offers or shows their orders to these technicians. */
@Injectable()
export class BlocksService {
  constructor(private readonly repo: AppealsRepository) {}

  async list(actor: Actor): Promise<BlockView[]> {
    return (await this.repo.blocks(actor.id)).map((b) => ({
      technicianId: b.technicianId,
      reason: b.reason,
      createdAt: b.createdAt.toISOString(),
    }));
  }

  async add(actor: Actor, body: CreateBlockDto): Promise<BlockView> {
    if (!(await this.repo.technicianExists(body.technicianId))) throw technicianNotFound();
    const b = await this.repo.addBlock(actor.id, body.technicianId, body.reason ?? null);
    return { technicianId: b.technicianId, reason: b.reason, createdAt: b.createdAt.toISOString() };
  }

  async remove(actor: Actor, technicianId: string): Promise<void> {
    if (!(await this.repo.removeBlock(actor.id, technicianId))) throw technicianNotFound();
  }
}
