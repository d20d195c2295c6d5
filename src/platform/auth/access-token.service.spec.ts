import { describe, expect, it, vi } from 'vitest';
import { SignJWT } from 'jose';
import type { AppConfig } from '../../config/config.schema';
import { AccessTokenService, InvalidTokenError } from './access-token.service';

const config = { JWT_SECRET: 'k'.repeat(40), ACCESS_TOKEN_TTL_SECONDS: 60 } as AppConfig;
const actor = { id: 'u1', kind: 'staff', role: 'store_manager', tenantId: 't1', sessionId: 's1' } as const;

describe('AccessTokenService', () => {
  it('round-trips an actor', async () => {
    const sut = new AccessTokenService(config);
    expect(await sut.verify(await sut.issue(actor))).toEqual(actor);
  });

  it('rejects a token signed with another key or with alg none', async () => {
    const sut = new AccessTokenService(config);
    const other = new AccessTokenService({ ...config, JWT_SECRET: 'x'.repeat(40) });
    await expect(sut.verify(await other.issue(actor))).rejects.toBeInstanceOf(InvalidTokenError);
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'u1' })).toString('base64url')}.`;
    await expect(sut.verify(none)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('still expires a cached token on time', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const sut = new AccessTokenService(config);
      const token = await sut.issue(actor);
      await sut.verify(token); // cached now
      vi.setSystemTime(Date.now() + 61_000);
      await expect(sut.verify(token)).rejects.toThrow('token expired');
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses a token without an expiry', async () => {
    const sut = new AccessTokenService(config);
    const token = await new SignJWT({ kind: 'staff', role: 'store_manager', tid: 't1', sid: 's1' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u1')
      .setIssuer('massage-saas')
      .sign(new TextEncoder().encode(config.JWT_SECRET));
    await expect(sut.verify(token)).rejects.toThrow('malformed claims');
  });
});
