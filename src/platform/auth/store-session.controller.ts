import { Controller, Delete, ForbiddenException, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { AppAbility } from '../authz/app-ability';
import { CheckPolicies } from '../authz/check-policies';
import { CurrentActor, type AppRequest } from '../http/request-context';
import { AllowClosedStore, TenantScoped } from '../http/route-metadata';
import type { Actor } from './actor';
import { Client } from './client-info';
import { PrincipalDto, SessionDto, SessionIdParam } from './dto/tokens.dto';
import type { ClientInfo } from './session.service';
import { StoreSessionAccountService } from './store-session-account.service';

const abilityOf = (req: AppRequest): AppAbility => {
  if (!req.ability) throw new ForbiddenException();
  return req.ability;
};

/** The signed-in user's own sessions at a store. Works in closed stores too: signing out always must. */
@ApiTags('auth')
@ApiBearerAuth()
@TenantScoped()
@AllowClosedStore()
@ApiUnauthorizedResponse({ description: 'no, expired or revoked access token' })
@Controller('api/auth')
export class StoreSessionController {
  constructor(private readonly account: StoreSessionAccountService) {}

  @Post('logout')
  @HttpCode(204)
  @CheckPolicies((a) => a.can('delete', 'AuthSession'))
  @ApiOperation({ summary: 'Sign out: ends this session; its access and refresh tokens stop working' })
  @ApiNoContentResponse()
  async logout(@CurrentActor() actor: Actor, @Client() client: ClientInfo): Promise<void> {
    await this.account.logout(actor, client);
  }

  @Get('sessions')
  @CheckPolicies((a) => a.can('read', 'AuthSession'))
  @ApiOperation({ summary: 'My signed-in devices, the current one flagged' })
  @ApiOkResponse({ type: [SessionDto] })
  sessions(@Req() req: AppRequest, @CurrentActor() actor: Actor): Promise<SessionDto[]> {
    return this.account.list(actor, abilityOf(req));
  }

  @Delete('sessions/:id')
  @HttpCode(204)
  @CheckPolicies((a) => a.can('delete', 'AuthSession'))
  @ApiOperation({ summary: 'Sign out one of my other devices' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ description: 'no such session of yours' })
  async revoke(
    @Req() req: AppRequest,
    @CurrentActor() actor: Actor,
    @Param() params: SessionIdParam,
    @Client() client: ClientInfo,
  ): Promise<void> {
    await this.account.revoke(actor, abilityOf(req), params.id, client);
  }

  @Get('me')
  @CheckPolicies((a) => a.can('read', 'AuthSession'))
  @ApiOperation({ summary: 'Who I am at this store (phone masked)' })
  @ApiOkResponse({ type: PrincipalDto })
  me(@Req() req: AppRequest, @CurrentActor() actor: Actor): Promise<PrincipalDto> {
    return this.account.me(actor, abilityOf(req));
  }
}
