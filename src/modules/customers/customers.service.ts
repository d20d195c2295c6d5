import { Injectable, NotFoundException } from '@nestjs/common';
import type { Actor } from '../../platform/auth/actor';
import type { AppAbility } from '../../platform/authz/app-ability';
import { accessibleBy } from '../../platform/authz/casl-prisma';
import { AuditService } from '../../platform/audit/audit.service';
import { CustomersRepository, type CustomerSummary } from './customers.repository';

export interface CustomerPage {
  items: CustomerSummary[];
  nextCursor: string | null;
}

/** One message for "no such customer" and "not yours to see": the caller learns nothing. */
const notFound = () => new NotFoundException({ code: 'CUSTOMER_NOT_FOUND', message: 'customer not found' });

@Injectable()
export class CustomersService {
  constructor(
    private readonly repo: CustomersRepository,
    private readonly audit: AuditService,
  ) {}

  /** For callers with unconditional read on customers (the route checks canListAllCustomers). */
  async list(query: { limit: number; cursor?: string; q?: string }): Promise<CustomerPage> {
    const rows = await this.repo.list(query.limit + 1, query.cursor, query.q);
    const items = rows.slice(0, query.limit);
    const nextCursor = rows.length > query.limit ? (items[items.length - 1]?.id ?? null) : null;
    return { items, nextCursor };
  }

  async get(ability: AppAbility, id: string): Promise<CustomerSummary> {
    const row = await this.repo.findOne(accessibleBy(ability).ofType('Customer'), id);
    if (!row) throw notFound();
    return row;
  }

  async rename(ability: AppAbility, actor: Actor, id: string, nickname: string, ip: string): Promise<CustomerSummary> {
    const row = await this.repo.updateNickname(accessibleBy(ability, 'update').ofType('Customer'), id, nickname.trim());
    if (!row) throw notFound();
    await this.audit.record({
      actorType: actor.kind,
      actorId: actor.id,
      action: 'customer.renamed',
      targetType: 'customer',
      targetId: id,
      ip,
    });
    return row;
  }
}
