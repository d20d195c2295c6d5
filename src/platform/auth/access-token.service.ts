import { Inject, Injectable } from '@nestjs/common';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { APP_CONFIG } from '../../config/load-config';
import type { AppConfig } from '../../config/config.schema';
import { ROLES, type Actor, type PrincipalKind, type Role } from './actor';

const KINDS: readonly PrincipalKind[] = ['operator', 'staff', 'customer', 'technician'];
const ISSUER = 'massage-saas';

export class InvalidTokenError extends Error {}

/** Short-lived HS256 access tokens. Refresh tokens are opaque and live in the database. */
@Injectable()
export class AccessTokenService {
  private readonly key: Uint8Array;
  private readonly ttl: number;

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

  async verify(token: string): Promise<Actor> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, algorithms: ['HS256'] });
      const { sub, kind, role, tid, sid } = payload as Record<string, unknown>;
      if (
        typeof sub !== 'string' ||
        typeof sid !== 'string' ||
        !KINDS.includes(kind as PrincipalKind) ||
        !(ROLES as readonly unknown[]).includes(role) ||
        !(tid === null || typeof tid === 'string')
      ) {
        throw new InvalidTokenError('malformed claims');
      }
      return { id: sub, kind: kind as PrincipalKind, role: role as Role, tenantId: tid, sessionId: sid };
    } catch (e) {
      if (e instanceof InvalidTokenError) throw e;
      if (e instanceof joseErrors.JWTExpired) throw new InvalidTokenError('token expired');
      throw new InvalidTokenError('invalid token');
    }
  }
}
