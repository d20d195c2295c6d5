import { Inject, Injectable } from '@nestjs/common';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { APP_CONFIG } from '../../config/load-config';
import type { AppConfig } from '../../config/config.schema';
import { ROLES, type Actor, type PrincipalKind, type Role } from './actor';

const KINDS: readonly PrincipalKind[] = ['operator', 'staff', 'customer', 'technician'];
const ISSUER = 'massage-saas';
/** Verified tokens kept in memory: clients reuse one access token for minutes. */
const CACHE_MAX = 10_000;

export class InvalidTokenError extends Error {}

/** Short-lived HS256 access tokens. Refresh tokens are opaque and live in the database. */
@Injectable()
export class AccessTokenService {
  private readonly key: Uint8Array;
  private readonly ttl: number;
  /** token → actor and expiry (ms); insertion order doubles as LRU order. */
  private readonly verified = new Map<string, { actor: Actor; exp: number }>();

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.key = new TextEncoder().encode(config.JWT_SECRET);
    this.ttl = config.ACCESS_TOKEN_TTL_SECONDS;
  }

  get ttlSeconds(): number {
    return this.ttl;
  }

  async issue(actor: Actor): Promise<string> {
    const jwt = new SignJWT({ kind: actor.kind, role: actor.role, tid: actor.tenantId, sid: actor.sessionId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(actor.id)
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime(`${this.ttl}s`);
    return jwt.sign(this.key);
  }

  /**
   * Signature and claims are checked once per token; later calls only re-check the expiry.
   * Revocation is not cached here: the auth guard asks SessionRevocations on every request.
   */
  async verify(token: string): Promise<Actor> {
    const hit = this.verified.get(token);
    if (hit) {
      if (hit.exp > Date.now()) return hit.actor;
      this.verified.delete(token);
      throw new InvalidTokenError('token expired');
    }
    const { actor, exp } = await this.verifySignature(token);
    if (this.verified.size >= CACHE_MAX) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, { actor, exp });
    return actor;
  }

  private async verifySignature(token: string): Promise<{ actor: Actor; exp: number }> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, algorithms: ['HS256'] });
      const { sub, kind, role, tid, sid, exp } = payload as Record<string, unknown>;
      if (
        typeof sub !== 'string' ||
        typeof sid !== 'string' ||
        !KINDS.includes(kind as PrincipalKind) ||
        !(ROLES as readonly unknown[]).includes(role) ||
        !(tid === null || typeof tid === 'string') ||
        typeof exp !== 'number'
      ) {
        throw new InvalidTokenError('malformed claims');
      }
      const actor: Actor = { id: sub, kind: kind as PrincipalKind, role: role as Role, tenantId: tid, sessionId: sid };
      return { actor, exp: exp * 1000 };
    } catch (e) {
      if (e instanceof InvalidTokenError) throw e;
      if (e instanceof joseErrors.JWTExpired) throw new InvalidTokenError('token expired');
      throw new InvalidTokenError('invalid token');
    }
  }
}
