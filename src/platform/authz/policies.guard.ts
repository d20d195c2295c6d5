import { type CanActivate, type ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { appRequest } from '../http/request-context';
import { AbilityFactory } from './ability.factory';
import { CHECK_POLICIES, type PolicyHandler } from './check-policies';

/** Builds the actor's ability once per request and runs the route's @CheckPolicies handlers. */
@Injectable()
export class PoliciesGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly abilities: AbilityFactory,
  ) {}

  canActivate(ctx: ExecutionContext): boolean {
    const req = appRequest(ctx);
    const ability = this.abilities.createFor(req.actor);
    req.ability = ability;
    const handlers = this.reflector.getAllAndMerge<PolicyHandler[]>(CHECK_POLICIES, [ctx.getHandler(), ctx.getClass()]);
    if (handlers.every((h) => h(ability))) return true;
    throw new ForbiddenException('not allowed for your role');
  }
}
