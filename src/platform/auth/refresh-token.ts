import { createHash, randomBytes } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SECRET = /^[A-Za-z0-9_-]{43}$/;
const OPERATOR = 'op';

/**
 * Opaque refresh tokens: `{tenantId}.{secret}` for store sessions (the store is in the token so
 * refresh works at any store address and a token shown to the wrong store is refused before any
 * lookup), `op.{secret}` for platform operators. The secret is 32 random bytes; only the SHA-256
 * of the whole string is stored.
 */
export type ParsedRefreshToken = { scope: 'tenant'; tenantId: string } | { scope: 'operator' };

export function newRefreshToken(tenantId: string | null): string {
  const secret = randomBytes(32).toString('base64url');
  return `${tenantId ?? OPERATOR}.${secret}`;
}

export function parseRefreshToken(token: string): ParsedRefreshToken | null {
  const dot = token.indexOf('.');
  if (dot < 0) return null;
  const scope = token.slice(0, dot);
  if (!SECRET.test(token.slice(dot + 1))) return null;
  if (scope === OPERATOR) return { scope: 'operator' };
  return UUID.test(scope) ? { scope: 'tenant', tenantId: scope } : null;
}

export function hashRefreshToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
