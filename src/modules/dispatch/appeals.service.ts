import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import type { DispatchAppeal } from '../../generated/prisma/client';
import type { Actor } from '../../platform/auth/actor';
import type { AppAbility } from '../../platform/authz/app-ability';
import { accessibleBy } from '../../platform/authz/casl-prisma';
import { RealtimeHub } from '../../platform/realtime/realtime-hub';
import { AppealsRepository } from './appeals.repository';
import { DispatchRepository } from './dispatch.repository';
import type { AppealView, CreateAppealDto, ListAppealsQuery } from './dto/appeal.dto';

const appealNotFound = () => new NotFoundException({ code: 'APPEAL_NOT_FOUND', message: 'appeal not found' });

function view(a: DispatchAppeal): AppealView {
  return {
    id: a.id,
    orderId: a.orderId,
    technicianId: a.technicianId,
    text: a.text,
    status: a.status,
    reply: a.reply,
    resolvedAt: a.resolvedAt?.toISOString() ?? null,
    createdAt: a.createdAt.toISOString(),
  };
}

/** A technician disputes a dispatch decision that involved them; the store answers. */
@Injectable()
export class AppealsService {
  constructor(
    private readonly repo: AppealsRepository,
    private readonly log: DispatchRepository,
    private readonly hub: RealtimeHub,
  ) {}

  async create(actor: Actor, body: CreateAppealDto): Promise<AppealView> {
    // only about an order whose dispatch involved them (otherwise it does not exist for them)
    const lines = await this.log.logOf(body.orderId);
    if (!lines.some((l) => l.technicianId === actor.id)) {
      throw new NotFoundException({ code: 'ORDER_NOT_FOUND', message: 'order not found' });
    }
    const appeal = await this.repo.createAppeal({ orderId: body.orderId, technicianId: actor.id, text: body.text });
    await this.log.log([
      {
        orderId: body.orderId,
        kind: 'appeal',
        technicianId: actor.id,
        details: { appealId: appeal.id },
        actorType: 'technician',
        actorId: actor.id,
      },
    ]);
    await this.hub.publish(actor.tenantId!, 'staff', {
      type: 'dispatch.appeal',
      data: { appealId: appeal.id, orderId: body.orderId },
    });
    return view(appeal);
  }

  async list(ability: AppAbility, q: ListAppealsQuery): Promise<AppealView[]> {
    const rows = await this.repo.appeals({
      AND: [accessibleBy(ability).ofType('DispatchAppeal'), q.status ? { status: q.status } : {}],
    });
    return rows.map(view);
  }

  async resolve(actor: Actor, id: string, reply: string): Promise<AppealView> {
    const existing = await this.repo.appeal(id);
    if (!existing) throw appealNotFound();
    const resolved = await this.repo.resolve(id, reply, actor.id);
    if (!resolved) throw new ConflictException({ code: 'APPEAL_RESOLVED', message: 'the appeal is already resolved' });
    await this.hub.publish(actor.tenantId!, `technician:${resolved.technicianId}`, {
      type: 'dispatch.appeal_resolved',
      data: { appealId: id, orderId: resolved.orderId, reply },
    });
    return view(resolved);
  }
}
