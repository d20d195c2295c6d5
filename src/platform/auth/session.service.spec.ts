import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AppConfig } from '../../config/config.schema';
import { hashRefreshToken } from './refresh-token';
import { SessionService } from './session.service';
import type { SessionRevocations } from './session-revocations';
import type { NewSession, SessionStore, StoredRefreshToken, StoredSession } from './session-store';

/** In-memory store with the same claim semantics as the conditional UPDATE. */
class MemoryStore implements SessionStore {
  sessions = new Map<string, StoredSession>();
  tokens = new Map<string, { id: string; sessionId: string; usedAt: Date | null }>();

  async createSession(input: NewSession) {
    const id = randomUUID();
    this.sessions.set(id, { id, ...input, revokedAt: null });
    return id;
  }
  async addToken(sessionId: string, hash: Buffer) {
    this.tokens.set(hash.toString('hex'), { id: randomUUID(), sessionId, usedAt: null });
  }
  async findToken(hash: Buffer): Promise<StoredRefreshToken | null> {
    const t = this.tokens.get(hash.toString('hex'));
    return t ? { id: t.id, usedAt: t.usedAt, session: { ...this.sessions.get(t.sessionId)! } } : null;
  }
  async claimToken(id: string) {
    const t = [...this.tokens.values()].find((x) => x.id === id);
    if (!t || t.usedAt) return false;
    t.usedAt = new Date();
    return true;
  }
  async revoke(id: string) {
    const s = this.sessions.get(id)!;
    if (s.revokedAt) return false;
    s.revokedAt = new Date();
    return true;
  }
  async touch(id: string, expiresAt: Date) {
    this.sessions.get(id)!.expiresAt = expiresAt;
  }
}

const revoked: string[] = [];
const revocations = { revoke: async (id: string) => void revoked.push(id) } as unknown as SessionRevocations;
const sut = new SessionService({ REFRESH_TOKEN_TTL_DAYS: 30 } as AppConfig, revocations);
const tenantId = randomUUID();
const client = { ip: '10.0.0.1', userAgent: 'spec' };

describe('SessionService', () => {
  it('rotates: each token works once and the next one works', async () => {
    const store = new MemoryStore();
    const { refreshToken } = await sut.start(store, tenantId, { type: 'customer', id: 'c1' }, client);
    const r1 = await sut.rotate(store, tenantId, refreshToken);
    expect(r1.kind).toBe('rotated');
    const next = r1.kind === 'rotated' ? r1.refreshToken : '';
    expect((await sut.rotate(store, tenantId, next)).kind).toBe('rotated');
    expect(store.tokens.size).toBe(3);
    expect(store.tokens.has(hashRefreshToken(refreshToken).toString('hex'))).toBe(true);
  });

  it('reuse revokes the family and its access tokens; later tokens of the family are dead', async () => {
    const store = new MemoryStore();
    const { refreshToken, sessionId } = await sut.start(store, tenantId, { type: 'staff', id: 's1' }, client);
    const r1 = await sut.rotate(store, tenantId, refreshToken);
    expect((await sut.rotate(store, tenantId, refreshToken)).kind).toBe('reused');
    expect(revoked).toContain(sessionId);
    expect(store.sessions.get(sessionId)!.revokedAt).not.toBeNull();
    expect((await sut.rotate(store, tenantId, r1.kind === 'rotated' ? r1.refreshToken : '')).kind).toBe('invalid');
  });

  it('unknown and expired tokens are invalid', async () => {
    const store = new MemoryStore();
    expect((await sut.rotate(store, tenantId, `${tenantId}.${'a'.repeat(43)}`)).kind).toBe('invalid');
    const { refreshToken, sessionId } = await sut.start(store, tenantId, { type: 'staff', id: 's1' }, client);
    store.sessions.get(sessionId)!.expiresAt = new Date(Date.now() - 1);
    expect((await sut.rotate(store, tenantId, refreshToken)).kind).toBe('invalid');
  });

  it('of two concurrent rotations one wins and the other is reuse', async () => {
    const store = new MemoryStore();
    const { refreshToken } = await sut.start(store, tenantId, { type: 'staff', id: 's1' }, client);
    const kinds = (
      await Promise.all([sut.rotate(store, tenantId, refreshToken), sut.rotate(store, tenantId, refreshToken)])
    ).map((r) => r.kind);
    expect(kinds.sort()).toEqual(['reused', 'rotated']);
  });
});
