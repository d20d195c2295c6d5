import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { APP_CONFIG } from '../../config/load-config';
import type { AppConfig } from '../../config/config.schema';
import { AuditService } from '../audit/audit.service';
import { LookupHasher } from '../crypto/field-cipher';
import { dummyPasswordHash, verifyPassword } from '../crypto/password';
import type { Actor } from './actor';
import { invalidCredentials, invalidRefreshToken } from './auth-failure';
import { OperatorRepository } from './operator.repository';
import { RateLimiter } from './rate-limiter';
import { parseRefreshToken } from './refresh-token';
import { SessionService, type ClientInfo } from './session.service';
import type { SessionView } from './session-store';
import { TokenIssuer, type IssuedTokens } from './token-issuer';

type OperatorPrincipal = { kind: 'operator'; role: 'platform_operator'; id: string; email: string; name: string };

/** Platform operators: e-mail + password, their own session families, audited on the platform trail. */
@Injectable()
export class OperatorAuthService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sessions: SessionService,
    private readonly store: OperatorRepository,
    private readonly issuer: TokenIssuer,
    private readonly hasher: LookupHasher,
    private readonly limiter: RateLimiter,
    private readonly audit: AuditService,
  ) {}

  async login(email: string, password: string, client: ClientInfo): Promise<IssuedTokens> {
    const accountKey = `pw-op:${this.hasher.hash('email', email).toString('hex')}`;
    const c = this.config;
    await this.limiter.consume(
      [
        { key: `pw-ip:${client.ip ?? 'unknown'}`, max: c.PASSWORD_ATTEMPTS_PER_IP_PER_15_MIN, windowSeconds: 900 },
        { key: accountKey, max: c.PASSWORD_ATTEMPTS_PER_ACCOUNT_PER_15_MIN, windowSeconds: 900 },
      ],
      'too many sign-in attempts, try again later',
    );
    const row = await this.store.findByEmail(email);
    const ok = await verifyPassword(row?.passwordHash ?? (await dummyPasswordHash()), password);
    if (!row || !ok || row.disabledAt) {
      await this.audit.recordPlatform({
        actorType: 'anonymous',
        action: 'auth.operator_sign_in_failed',
        targetType: row ? 'platform_operator' : undefined,
        targetId: row?.id,
        ip: client.ip,
        details: { email, reason: !row ? 'unknown_account' : !ok ? 'wrong_password' : 'account_disabled' },
      });
      throw invalidCredentials();
    }
    await this.limiter.reset(accountKey);
    const { sessionId, refreshToken } = await this.sessions.start(
      this.store,
      null,
      { type: 'operator', id: row.id },
      client,
    );
    await this.audit.recordPlatform({
      actorType: 'operator',
      actorId: row.id,
      action: 'auth.operator_sign_in',
      targetType: 'operator_session',
      targetId: sessionId,
      ip: client.ip,
      details: { userAgent: client.userAgent },
    });
    return this.issuer.issue(null, principal(row), sessionId, refreshToken);
  }

  async refresh(presented: string, client: ClientInfo): Promise<IssuedTokens> {
    if (parseRefreshToken(presented)?.scope !== 'operator') throw invalidRefreshToken();
    const result = await this.sessions.rotate(this.store, null, presented);
    if (result.kind === 'invalid') throw invalidRefreshToken();
    if (result.kind === 'reused') {
      await this.audit.recordPlatform({
        actorType: 'operator',
        actorId: result.session.principalId,
        action: 'auth.refresh_token_reused',
        targetType: 'operator_session',
        targetId: result.session.id,
        ip: client.ip,
      });
      throw invalidRefreshToken();
    }
    const row = await this.store.findActive(result.session.principalId);
    if (!row) {
      await this.sessions.end(this.store, result.session.id, 'account_disabled');
      throw invalidRefreshToken();
    }
    return this.issuer.issue(null, principal(row), result.session.id, result.refreshToken);
  }

  async logout(actor: Actor, client: ClientInfo): Promise<void> {
    await this.sessions.end(this.store, actor.sessionId, 'logout');
    await this.audit.recordPlatform({
      actorType: 'operator',
      actorId: actor.id,
      action: 'auth.sign_out',
      targetType: 'operator_session',
      targetId: actor.sessionId,
      ip: client.ip,
    });
  }

  async list(actor: Actor): Promise<Array<SessionView & { current: boolean }>> {
    const rows = await this.store.listLive(actor.id);
    return rows.map((r) => ({ ...r, current: r.id === actor.sessionId }));
  }

  async revoke(actor: Actor, id: string, client: ClientInfo): Promise<void> {
    const row = await this.store.findLive(actor.id, id);
    if (!row) throw new NotFoundException({ code: 'NOT_FOUND', message: 'session not found' });
    await this.sessions.end(this.store, row.id, 'revoked_by_user');
    await this.audit.recordPlatform({
      actorType: 'operator',
      actorId: actor.id,
      action: 'auth.session_revoked',
      targetType: 'operator_session',
      targetId: row.id,
      ip: client.ip,
    });
  }

  async me(actor: Actor): Promise<OperatorPrincipal> {
    const row = await this.store.findActive(actor.id);
    if (!row) throw new NotFoundException({ code: 'NOT_FOUND', message: 'account not found' });
    return principal(row);
  }
}

const principal = (row: { id: string; email: string; name: string }): OperatorPrincipal => ({
  kind: 'operator',
  role: 'platform_operator',
  id: row.id,
  email: row.email,
  name: row.name,
});
