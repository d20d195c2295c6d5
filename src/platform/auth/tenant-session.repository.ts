import { Injectable } from '@nestjs/common';
import { TenantContext } from '../database/tenant-context';
import type { WhereInput } from '../authz/casl-prisma';
import type { NewSession, SessionStore, SessionView, StoredRefreshToken } from './session-store';

const SESSION_FIELDS = { id: true, principalType: true, principalId: true, revokedAt: true, expiresAt: true } as const;
const VIEW_FIELDS = {
  id: true,
  userAgent: true,
  ip: true,
  createdAt: true,
  lastUsedAt: true,
  expiresAt: true,
} as const;

/** `auth_sessions` + `refresh_tokens` of the request's store (RLS confines every query to it). */
@Injectable()
export class TenantSessionRepository implements SessionStore {
  constructor(private readonly tenantContext: TenantContext) {}

  async createSession(input: NewSession): Promise<string> {
    const row = await this.tenantContext.db().authSession.create({
      data: { ...input, tenantId: this.tenantContext.tenantId() },
      select: { id: true },
    });
    return row.id;
  }

  async addToken(sessionId: string, tokenHash: Buffer): Promise<void> {
    await this.tenantContext.db().refreshToken.create({
      data: { tenantId: this.tenantContext.tenantId(), sessionId, tokenHash: new Uint8Array(tokenHash) },
      select: { id: true },
    });
  }

  async findToken(tokenHash: Buffer): Promise<StoredRefreshToken | null> {
    return this.tenantContext.db().refreshToken.findUnique({
      where: { tenantId_tokenHash: { tenantId: this.tenantContext.tenantId(), tokenHash: new Uint8Array(tokenHash) } },
      select: { id: true, usedAt: true, session: { select: SESSION_FIELDS } },
    });
  }

  async claimToken(tokenId: string): Promise<boolean> {
    const { count } = await this.tenantContext
      .db()
      .refreshToken.updateMany({ where: { id: tokenId, usedAt: null }, data: { usedAt: new Date() } });
    return count === 1;
  }

  async revoke(sessionId: string, reason: string): Promise<boolean> {
    const { count } = await this.tenantContext.db().authSession.updateMany({
      where: { id: sessionId, revokedAt: null },
      data: { revokedAt: new Date(), revokedReason: reason },
    });
    return count === 1;
  }

  async touch(sessionId: string, expiresAt: Date): Promise<void> {
    await this.tenantContext.db().authSession.updateMany({
      where: { id: sessionId },
      data: { lastUsedAt: new Date(), expiresAt },
    });
  }

  /** Live sessions visible to the caller (`visible` comes from CASL's accessibleBy). */
  listLive(visible: WhereInput<'AuthSession'>): Promise<SessionView[]> {
    return this.tenantContext.db().authSession.findMany({
      where: { AND: [visible, { revokedAt: null, expiresAt: { gt: new Date() } }] },
      select: VIEW_FIELDS,
      orderBy: { lastUsedAt: 'desc' },
    });
  }

  findLive(visible: WhereInput<'AuthSession'>, id: string): Promise<{ id: string } | null> {
    return this.tenantContext.db().authSession.findFirst({
      where: { AND: [visible, { id, revokedAt: null, expiresAt: { gt: new Date() } }] },
      select: { id: true },
    });
  }
}
