import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../platform/auth/actor';
import { CheckPolicies } from '../../platform/authz/check-policies';
import { ClientIp, CurrentActor } from '../../platform/http/request-context';
import {
  AuditPageDto,
  ListAuditQueryDto,
  ListTenantsQueryDto,
  StatusChangeDto,
  StatusReasonDto,
  TenantDetailDto,
  TenantIdParamDto,
  TenantPageDto,
} from './dto/platform-console.dto';
import { PlatformConsoleService } from './platform-console.service';

@ApiTags('platform console 平台运营')
@ApiBearerAuth()
@ApiResponse({ status: 401, description: 'not signed in' })
@ApiResponse({ status: 403, description: 'not a platform operator' })
@CheckPolicies((a) => a.can('manage', 'Platform'))
@Controller('api/platform')
export class PlatformConsoleController {
  constructor(private readonly console: PlatformConsoleService) {}

  @Get('tenants')
  @ApiOperation({ summary: 'List stores, optionally by status (pending = waiting for review)' })
  @ApiResponse({ status: 200, type: TenantPageDto })
  listTenants(@Query() q: ListTenantsQueryDto): Promise<TenantPageDto> {
    return this.console.listTenants(q);
  }

  @Get('tenants/:id')
  @ApiOperation({ summary: 'One store with its sign-up details' })
  @ApiResponse({ status: 200, type: TenantDetailDto })
  @ApiResponse({ status: 404, description: 'unknown store' })
  getTenant(@Param() p: TenantIdParamDto): Promise<TenantDetailDto> {
    return this.console.getTenant(p.id);
  }

  @Post('tenants/:id/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve a pending store (opens it, e-mails the owner)' })
  @ApiResponse({ status: 200, type: StatusChangeDto })
  @ApiResponse({ status: 409, description: 'ILLEGAL_TRANSITION' })
  approve(
    @Param() p: TenantIdParamDto,
    @CurrentActor() actor: Actor,
    @ClientIp() ip: string,
  ): Promise<StatusChangeDto> {
    return this.console.change('approve', p.id, null, actor, ip);
  }

  @Post('tenants/:id/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject a pending store with a reason (e-mailed to the owner)' })
  @ApiResponse({ status: 200, type: StatusChangeDto })
  @ApiResponse({ status: 400, description: 'reason missing' })
  @ApiResponse({ status: 409, description: 'ILLEGAL_TRANSITION' })
  reject(
    @Param() p: TenantIdParamDto,
    @Body() body: StatusReasonDto,
    @CurrentActor() actor: Actor,
    @ClientIp() ip: string,
  ): Promise<StatusChangeDto> {
    return this.console.change('reject', p.id, body.reason, actor, ip);
  }

  @Post('tenants/:id/suspend')
  @HttpCode(200)
  @ApiOperation({ summary: 'Suspend an active store with a reason (customer site closed, staff read-only)' })
  @ApiResponse({ status: 200, type: StatusChangeDto })
  @ApiResponse({ status: 409, description: 'ILLEGAL_TRANSITION' })
  suspend(
    @Param() p: TenantIdParamDto,
    @Body() body: StatusReasonDto,
    @CurrentActor() actor: Actor,
    @ClientIp() ip: string,
  ): Promise<StatusChangeDto> {
    return this.console.change('suspend', p.id, body.reason, actor, ip);
  }

  @Post('tenants/:id/reactivate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reopen a suspended store' })
  @ApiResponse({ status: 200, type: StatusChangeDto })
  @ApiResponse({ status: 409, description: 'ILLEGAL_TRANSITION' })
  reactivate(
    @Param() p: TenantIdParamDto,
    @CurrentActor() actor: Actor,
    @ClientIp() ip: string,
  ): Promise<StatusChangeDto> {
    return this.console.change('reactivate', p.id, null, actor, ip);
  }

  @Get('audit')
  @ApiOperation({ summary: 'Platform audit trail (approvals, operator sign-ins, platform-path use)' })
  @ApiResponse({ status: 200, type: AuditPageDto })
  listAudit(@Query() q: ListAuditQueryDto): Promise<AuditPageDto> {
    return this.console.listAudit(q);
  }
}
