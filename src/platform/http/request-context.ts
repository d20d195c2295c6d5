import { createParamDecorator, type ExecutionContext, UnauthorizedException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../auth/actor';
import type { TenantInfo } from '../tenancy/tenant-directory';
import type { AppAbility } from '../authz/app-ability';

/** What the guards learn about a request, kept on the Fastify request object. */
export interface RequestState {
  actor?: Actor;
  tenant?: TenantInfo;
  ability?: AppAbility;
}

export type AppRequest = FastifyRequest & RequestState;

export function appRequest(ctx: ExecutionContext): AppRequest {
  return ctx.switchToHttp().getRequest<AppRequest>();
}

/** The authenticated actor; routes without @Public() always have one. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const actor = appRequest(ctx).actor;
  if (!actor) throw new UnauthorizedException();
  return actor;
});

/** The store the request is for (only on @TenantScoped() controllers). */
export const CurrentTenant = createParamDecorator((_: unknown, ctx: ExecutionContext): TenantInfo => {
  const tenant = appRequest(ctx).tenant;
  if (!tenant) throw new Error('CurrentTenant used outside a @TenantScoped() route');
  return tenant;
});

export const ClientIp = createParamDecorator((_: unknown, ctx: ExecutionContext): string => appRequest(ctx).ip);
