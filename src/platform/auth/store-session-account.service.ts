import { subject } from '@casl/ability';
import { Injectable, NotFoundException } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { AppAbility } from '../authz/app-ability';
import { accessibleBy, type ModelSubjects } from '../authz/casl-prisma';
import type { Actor } from './actor';
import type { ClientInfo } from './session.service';
import { SessionService } from './session.service';
import type { SessionView } from './session-store';
import { TenantSessionRepository } from './tenant-session.repository';
import { TokenIssuer, type TenantPrincipal } from './token-issuer';

const SUBJECT = { customer: 'Customer', technician: 'Technician', staff: 'StaffAccount' } as const;

/** A signed-in store user's own sessions and profile. */
@Injectable()
export class StoreSessionAccountService {
  constructor(
    private readonly sessions: SessionService,
    private readonly store: TenantSessionRepository,
    private readonly issuer: TokenIssuer,
    private readonly audit: AuditService,
  ) {}

  async logout(actor: Actor, client: ClientInfo): Promise<void> {
    await this.sessions.end(this.store, actor.sessionId, 'logout');
    await this.audit.record({
      actorType: kindOf(actor),
      actorId: actor.id,
      action: 'auth.sign_out',
      targetType: 'auth_session',
      targetId: actor.sessionId,
      ip: client.ip,
    });
  }

  async list(actor: Actor, ability: AppAbility): Promise<Array<SessionView & { current: boolean }>> {
    const rows = await this.store.listLive(accessibleBy(ability).ofType('AuthSession'));
    return rows.map((r) => ({ ...r, current: r.id === actor.sessionId }));
  }

  /** Ends one of the caller's own sessions; any other id is "not found", whoever owns it. */
  async revoke(actor: Actor, ability: AppAbility, id: string, client: ClientInfo): Promise<void> {
    const row = await this.store.findLive(accessibleBy(ability, 'delete').ofType('AuthSession'), id);
    if (!row) throw new NotFoundException({ code: 'NOT_FOUND', message: 'session not found' });
    await this.sessions.end(this.store, row.id, 'revoked_by_user');
    await this.audit.record({
      actorType: kindOf(actor),
      actorId: actor.id,
      action: 'auth.session_revoked',
      targetType: 'auth_session',
      targetId: row.id,
      ip: client.ip,
    });
  }

  async me(actor: Actor, ability: AppAbility): Promise<TenantPrincipal> {
    const principal = await this.issuer.loadPrincipal(actor.kind, actor.id);
    // The rules for one's own row test only `id`, so the id stands in for the row.
    const own = principal && (subject(SUBJECT[principal.kind], { id: principal.id }) as unknown as ModelSubjects);
    if (!own || !ability.can('read', own)) {
      throw new NotFoundException({ code: 'NOT_FOUND', message: 'account not found' });
    }
    return principal;
  }
}

const kindOf = (actor: Actor) => (actor.kind === 'operator' ? 'operator' : actor.kind);
