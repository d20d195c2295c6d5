import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Actor } from '../../platform/auth/actor';
import { CheckPolicies } from '../../platform/authz/check-policies';
import { ClientIp, CurrentActor, type AppRequest } from '../../platform/http/request-context';
import { TenantScoped } from '../../platform/http/route-metadata';
import { CreateTierDto, TierDto, UpdateTierDto } from './dto/tier.dto';
import { abilityOf } from './request-ability';
import { TechnicianTiersService } from './technician-tiers.service';

const uuid = new ParseUUIDPipe();

@ApiTags('technicians')
@ApiBearerAuth()
@ApiForbiddenResponse({ description: 'your role may not do this, or a token of another store' })
@TenantScoped()
@Controller('api/technician-tiers')
export class TechnicianTiersController {
  constructor(private readonly tiers: TechnicianTiersService) {}

  @Get()
  @CheckPolicies((a) => a.can('read', 'TechnicianTier'))
  @ApiOperation({ summary: 'Technician tiers (初级/中级/高级/金牌) with commission rates' })
  @ApiOkResponse({ type: [TierDto] })
  list(@Req() req: AppRequest): Promise<TierDto[]> {
    return this.tiers.list(abilityOf(req));
  }

  @Post()
  @CheckPolicies((a) => a.can('create', 'TechnicianTier'))
  @ApiOperation({ summary: 'Add a tier' })
  @ApiCreatedResponse({ type: TierDto })
  @ApiBadRequestResponse({ description: 'invalid code, name or commission' })
  @ApiConflictResponse({ description: 'code already used' })
  create(@CurrentActor() actor: Actor, @ClientIp() ip: string, @Body() body: CreateTierDto): Promise<TierDto> {
    return this.tiers.create(actor, body, ip);
  }

  @Patch(':id')
  @CheckPolicies((a) => a.can('update', 'TechnicianTier'))
  @ApiOperation({ summary: 'Rename a tier or change its commission rate (audited)' })
  @ApiOkResponse({ type: TierDto })
  @ApiNotFoundResponse({ description: 'no such tier in this store' })
  update(
    @Req() req: AppRequest,
    @CurrentActor() actor: Actor,
    @ClientIp() ip: string,
    @Param('id', uuid) id: string,
    @Body() body: UpdateTierDto,
  ): Promise<TierDto> {
    return this.tiers.update(abilityOf(req), actor, id, body, ip);
  }

  @Delete(':id')
  @HttpCode(204)
  @CheckPolicies((a) => a.can('delete', 'TechnicianTier'))
  @ApiOperation({ summary: 'Delete an unused tier' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ description: 'no such tier in this store' })
  @ApiConflictResponse({ description: 'technicians still have this tier' })
  async remove(
    @Req() req: AppRequest,
    @CurrentActor() actor: Actor,
    @ClientIp() ip: string,
    @Param('id', uuid) id: string,
  ): Promise<void> {
    await this.tiers.remove(abilityOf(req), actor, id, ip);
  }
}
