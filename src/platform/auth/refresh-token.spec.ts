import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashRefreshToken, newRefreshToken, parseRefreshToken } from './refresh-token';

describe('refresh tokens', () => {
  it('carries the store id and parses back', () => {
    const tenantId = randomUUID();
    const sut = newRefreshToken(tenantId);
    expect(parseRefreshToken(sut)).toEqual({ scope: 'tenant', tenantId });
  });
  it('marks operator tokens', () => {
    expect(parseRefreshToken(newRefreshToken(null))).toEqual({ scope: 'operator' });
  });
  it('is unique and hashed to 32 bytes', () => {
    const a = newRefreshToken(null);
    expect(a).not.toBe(newRefreshToken(null));
    expect(hashRefreshToken(a)).toHaveLength(32);
    expect(hashRefreshToken(a).equals(hashRefreshToken(a))).toBe(true);
  });
  it('rejects malformed strings', () => {
    for (const bad of [
      '',
      'x',
      'op.',
      'op.short',
      `not-a-uuid.${'a'.repeat(43)}`,
      `${randomUUID()}.${'!'.repeat(43)}`,
    ]) {
      expect(parseRefreshToken(bad)).toBeNull();
    }
  });
});
