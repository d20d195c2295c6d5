import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../../config/load-config';
import type { AppConfig } from '../../config/config.schema';
import { hashRefreshToken, newRefreshToken } from './refresh-token';
import { SessionRevocations } from './session-revocations';
import type { SessionStore, StoredSession } from './session-store';

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

export type Rotation =
  | { kind: 'rotated'; session: StoredSession; refreshToken: string }
  | { kind: 'invalid' }
  /** A used token came back: someone holds a copy. The whole family is now revoked. */
  | { kind: 'reused'; session: StoredSession };

/**
 * Session families with rotating refresh tokens, the same rules for store and platform sessions.
 * Each refresh spends its token and issues the next; a spent token presented again (by a thief or
 * by the owner after a thief) ends the session and its live access tokens at once.
 */
@Injectable()
export class SessionService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly revocations: SessionRevocations,
  ) {}

  async start(
    store: SessionStore,
    tenantId: string | null,
    principal: { type: string; id: string },
    client: ClientInfo,
  ): Promise<{ sessionId: string; refreshToken: string }> {
    const sessionId = await store.createSession({
      principalType: principal.type,
      principalId: principal.id,
      userAgent: client.userAgent?.slice(0, 512) ?? null,
      ip: client.ip,
      expiresAt: this.expiry(),
    });
    const refreshToken = newRefreshToken(tenantId);
    await store.addToken(sessionId, hashRefreshToken(refreshToken));
    return { sessionId, refreshToken };
  }

  async rotate(store: SessionStore, tenantId: string | null, presented: string): Promise<Rotation> {
    const token = await store.findToken(hashRefreshToken(presented));
    if (!token) return { kind: 'invalid' };
    const { session } = token;
    if (session.revokedAt || session.expiresAt <= new Date()) return { kind: 'invalid' };
    // The conditional update decides races too: of two parallel refreshes one wins, the other is reuse.
    if (token.usedAt || !(await store.claimToken(token.id))) {
      await this.end(store, session.id, 'refresh_token_reuse');
      return { kind: 'reused', session };
    }
    const next = newRefreshToken(tenantId);
    await store.addToken(session.id, hashRefreshToken(next));
    await store.touch(session.id, this.expiry());
    return { kind: 'rotated', session, refreshToken: next };
  }

  /** Ends a session for good: no more refreshes, and its access tokens stop working now. */
  async end(store: SessionStore, sessionId: string, reason: string): Promise<void> {
    await store.revoke(sessionId, reason);
    await this.revocations.revoke(sessionId);
  }

  private expiry(): Date {
    return new Date(Date.now() + this.config.REFRESH_TOKEN_TTL_DAYS * 86_400_000);
  }
}
