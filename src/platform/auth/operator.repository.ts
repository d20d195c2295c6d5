import { Inject, Injectable } from '@nestjs/common';
import { PRISMA } from '../database/database.tokens';
import type { PrismaClient } from '../database/prisma';
import type { NewSession, SessionStore, SessionView, StoredRefreshToken } from './session-store';

const VIEW_FIELDS = {
  id: true,
  userAgent: true,
  ip: true,
  createdAt: true,
  lastUsedAt: true,
  expiresAt: true,
} as const;

/** Platform operators and their sessions (platform tables: the root client is the right one here). */
@Injectable()
export class OperatorRepository implements SessionStore {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  findByEmail(email: string) {
    return this.prisma.platformOperator.findUnique({
      where: { email },
      select: { id: true, email: true, name: true, passwordHash: true, disabledAt: true },
    });
  }

  findActive(id: string) {
    return this.prisma.platformOperator.findFirst({
      where: { id, disabledAt: null },
      select: { id: true, email: true, name: true },
    });
  }

  async createSession(input: NewSession): Promise<string> {
    const { principalType: _type, principalId, ...rest } = input;
    const row = await this.prisma.operatorSession.create({
      data: { ...rest, operatorId: principalId },
      select: { id: true },
    });
    return row.id;
  }

  async addToken(sessionId: string, tokenHash: Buffer): Promise<void> {
    await this.prisma.operatorRefreshToken.create({
      data: { sessionId, tokenHash: new Uint8Array(tokenHash) },
      select: { id: true },
    });
  }

  async findToken(tokenHash: Buffer): Promise<StoredRefreshToken | null> {
    const row = await this.prisma.operatorRefreshToken.findUnique({
      where: { tokenHash: new Uint8Array(tokenHash) },
      select: {
        id: true,
        usedAt: true,
        session: { select: { id: true, operatorId: true, revokedAt: true, expiresAt: true } },
      },
    });
    if (!row) return null;
    const { operatorId, ...session } = row.session;
    return {
      id: row.id,
      usedAt: row.usedAt,
      session: { ...session, principalType: 'operator', principalId: operatorId },
    };
  }

  async claimToken(tokenId: string): Promise<boolean> {
    const { count } = await this.prisma.operatorRefreshToken.updateMany({
      where: { id: tokenId, usedAt: null },
      data: { usedAt: new Date() },
    });
    return count === 1;
  }

  async revoke(sessionId: string, reason: string): Promise<boolean> {
    const { count } = await this.prisma.operatorSession.updateMany({
      where: { id: sessionId, revokedAt: null },
      data: { revokedAt: new Date(), revokedReason: reason },
    });
    return count === 1;
  }

  async touch(sessionId: string, expiresAt: Date): Promise<void> {
    await this.prisma.operatorSession.updateMany({
      where: { id: sessionId },
      data: { lastUsedAt: new Date(), expiresAt },
    });
  }

  listLive(operatorId: string): Promise<SessionView[]> {
    return this.prisma.operatorSession.findMany({
      where: { operatorId, revokedAt: null, expiresAt: { gt: new Date() } },
      select: VIEW_FIELDS,
      orderBy: { lastUsedAt: 'desc' },
    });
  }

  findLive(operatorId: string, id: string): Promise<{ id: string } | null> {
    return this.prisma.operatorSession.findFirst({
      where: { operatorId, id, revokedAt: null, expiresAt: { gt: new Date() } },
      select: { id: true },
    });
  }
}
