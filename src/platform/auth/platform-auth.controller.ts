import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { CheckPolicies } from '../authz/check-policies';
import { CurrentActor } from '../http/request-context';
import { Public } from '../http/route-metadata';
import type { Actor } from './actor';
import { Client } from './client-info';
import { PasswordLoginDto } from './dto/password-login.dto';
import { PrincipalDto, RefreshDto, SessionDto, SessionIdParam, TokensDto } from './dto/tokens.dto';
import { OperatorAuthService } from './operator-auth.service';
import type { ClientInfo } from './session.service';

const operatorsOnly = (a: Parameters<Parameters<typeof CheckPolicies>[0]>[0]) => a.can('manage', 'Platform');

/** Platform console sign-in (not tied to a store). */
@ApiTags('platform-auth')
@Controller('api/platform/auth')
export class PlatformAuthController {
  constructor(private readonly operators: OperatorAuthService) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Platform operator sign-in with e-mail + password 平台运营登录' })
  @ApiOkResponse({ type: TokensDto })
  @ApiUnauthorizedResponse({ description: 'INVALID_CREDENTIALS' })
  @ApiTooManyRequestsResponse({ description: 'RATE_LIMITED' })
  login(@Body() body: PasswordLoginDto, @Client() client: ClientInfo) {
    return this.operators.login(body.email, body.password, client);
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Rotate an operator refresh token; a reused token ends the session' })
  @ApiOkResponse({ type: TokensDto })
  @ApiUnauthorizedResponse({ description: 'INVALID_REFRESH_TOKEN' })
  refresh(@Body() body: RefreshDto, @Client() client: ClientInfo) {
    return this.operators.refresh(body.refreshToken, client);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth()
  @CheckPolicies(operatorsOnly)
  @ApiOperation({ summary: 'Sign out of the platform console' })
  @ApiNoContentResponse()
  @ApiForbiddenResponse({ description: 'not a platform operator' })
  async logout(@CurrentActor() actor: Actor, @Client() client: ClientInfo): Promise<void> {
    await this.operators.logout(actor, client);
  }

  @Get('sessions')
  @ApiBearerAuth()
  @CheckPolicies(operatorsOnly)
  @ApiOperation({ summary: 'My operator sessions, the current one flagged' })
  @ApiOkResponse({ type: [SessionDto] })
  sessions(@CurrentActor() actor: Actor): Promise<SessionDto[]> {
    return this.operators.list(actor);
  }

  @Delete('sessions/:id')
  @HttpCode(204)
  @ApiBearerAuth()
  @CheckPolicies(operatorsOnly)
  @ApiOperation({ summary: 'End one of my operator sessions' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ description: 'no such session of yours' })
  async revoke(@CurrentActor() actor: Actor, @Param() params: SessionIdParam, @Client() client: ClientInfo) {
    await this.operators.revoke(actor, params.id, client);
  }

  @Get('me')
  @ApiBearerAuth()
  @CheckPolicies(operatorsOnly)
  @ApiOperation({ summary: 'The signed-in operator' })
  @ApiOkResponse({ type: PrincipalDto })
  me(@CurrentActor() actor: Actor): Promise<PrincipalDto> {
    return this.operators.me(actor);
  }
}
