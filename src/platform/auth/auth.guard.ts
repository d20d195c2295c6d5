import { type CanActivate, type ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IS_PUBLIC } from '../http/route-metadata';
import { appRequest } from '../http/request-context';
import { AccessTokenService, InvalidTokenError } from './access-token.service';
import { SessionRevocations } from './session-revocations';

/** Verifies the bearer token on every route; @Public() routes accept anonymous callers. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokenService,
    @Inject(SessionRevocations) private readonly revocations: SessionRevocations,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = appRequest(ctx);
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [ctx.getHandler(), ctx.getClass()]);
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    if (!token) {
      if (isPublic) return true;
      throw new UnauthorizedException('sign-in required');
    }
    try {
      const actor = await this.tokens.verify(token);
      if (await this.revocations.isRevoked(actor.sessionId)) throw new InvalidTokenError('session ended');
      req.actor = actor;
      return true;
    } catch (e) {
      if (isPublic && e instanceof InvalidTokenError) return true;
      if (e instanceof InvalidTokenError) throw new UnauthorizedException(e.message);
      throw e;
    }
  }
}
