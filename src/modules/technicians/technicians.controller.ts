import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Actor } from '../../platform/auth/actor';
import { CheckPolicies } from '../../platform/authz/check-policies';
import { ClientIp, CurrentActor, type AppRequest } from '../../platform/http/request-context';
import { TenantScoped } from '../../platform/http/route-metadata';
import { CreateTechnicianDto } from './dto/create-technician.dto';
import { ListTechniciansQuery } from './dto/list-technicians.query';
import { RejectTechnicianDto } from './dto/reject-technician.dto';
import { TechnicianDetailDto, TechnicianPageDto } from './dto/technician.dto';
import { UpdateTechnicianDto } from './dto/update-technician.dto';
import { abilityOf } from './request-ability';
import { TechniciansService } from './technicians.service';

const uuid = new ParseUUIDPipe();

@ApiTags('technicians')
@ApiBearerAuth()
@ApiForbiddenResponse({ description: 'your role may not do this, or a token of another store' })
@TenantScoped()
@Controller('api/technicians')
export class TechniciansController {
  constructor(private readonly technicians: TechniciansService) {}

  @Get()
  @CheckPolicies((a) => a.can('read', 'Technician'))
  @ApiOperation({ summary: "List the store's technicians (filters: status, tier, skill, q), newest first" })
  @ApiOkResponse({ type: TechnicianPageDto })
  @ApiBadRequestResponse({ description: 'invalid filter' })
  list(@Req() req: AppRequest, @Query() query: ListTechniciansQuery): Promise<TechnicianPageDto> {
    return this.technicians.list(abilityOf(req), query);
  }

  @Get(':id')
  @CheckPolicies((a) => a.can('read', 'Technician'))
  @ApiOperation({
    summary: 'One technician',
    description: 'The full ID number and certificates only for the owner and managers; others see it masked.',
  })
  @ApiOkResponse({ type: TechnicianDetailDto })
  @ApiNotFoundResponse({ description: 'no such technician in this store, or not visible to you' })
  get(@Req() req: AppRequest, @Param('id', uuid) id: string): Promise<TechnicianDetailDto> {
    return this.technicians.get(abilityOf(req), id);
  }

  @Post()
  @CheckPolicies((a) => a.can('create', 'Technician'))
  @ApiOperation({ summary: 'Add a technician directly (approved at once)' })
  @ApiCreatedResponse({ type: TechnicianDetailDto })
  @ApiBadRequestResponse({ description: 'invalid field, unknown tier or file' })
  @ApiConflictResponse({ description: 'phone or ID number already registered at this store' })
  create(
    @Req() req: AppRequest,
    @CurrentActor() actor: Actor,
    @ClientIp() ip: string,
    @Body() body: CreateTechnicianDto,
  ): Promise<TechnicianDetailDto> {
    return this.technicians.create(abilityOf(req), actor, body, ip);
  }

  @Patch(':id')
  @CheckPolicies((a) => a.can('update', 'Technician'))
  @ApiOperation({ summary: "Edit a technician's profile, tier or home base" })
  @ApiOkResponse({ type: TechnicianDetailDto })
  @ApiBadRequestResponse({ description: 'invalid field, unknown tier or file' })
  @ApiNotFoundResponse({ description: 'no such technician in this store' })
  update(
    @Req() req: AppRequest,
    @CurrentActor() actor: Actor,
    @ClientIp() ip: string,
    @Param('id', uuid) id: string,
    @Body() body: UpdateTechnicianDto,
  ): Promise<TechnicianDetailDto> {
    return this.technicians.update(abilityOf(req), actor, id, body, ip);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @CheckPolicies((a) => a.can('approve', 'Technician'))
  @ApiOperation({ summary: 'Approve a pending application (the technician is notified)' })
  @ApiOkResponse({ type: TechnicianDetailDto })
  @ApiNotFoundResponse({ description: 'no such technician in this store' })
  @ApiConflictResponse({ description: 'not pending review' })
  approve(
    @Req() req: AppRequest,
    @CurrentActor() actor: Actor,
    @ClientIp() ip: string,
    @Param('id', uuid) id: string,
  ): Promise<TechnicianDetailDto> {
    return this.technicians.approve(abilityOf(req), actor, id, ip);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @CheckPolicies((a) => a.can('approve', 'Technician'))
  @ApiOperation({ summary: 'Reject a pending application with a reason (the technician is notified)' })
  @ApiOkResponse({ type: TechnicianDetailDto })
  @ApiBadRequestResponse({ description: 'reason missing' })
  @ApiNotFoundResponse({ description: 'no such technician in this store' })
  @ApiConflictResponse({ description: 'not pending review' })
  reject(
    @Req() req: AppRequest,
    @CurrentActor() actor: Actor,
    @ClientIp() ip: string,
    @Param('id', uuid) id: string,
    @Body() body: RejectTechnicianDto,
  ): Promise<TechnicianDetailDto> {
    return this.technicians.reject(abilityOf(req), actor, id, body.reason, ip);
  }

  @Post(':id/disable')
  @HttpCode(200)
  @CheckPolicies((a) => a.can('delete', 'Technician'))
  @ApiOperation({ summary: 'Disable (soft-remove) a technician: off duty, hidden from customers' })
  @ApiOkResponse({ type: TechnicianDetailDto })
  @ApiNotFoundResponse({ description: 'no such technician in this store' })
  @ApiConflictResponse({ description: 'already disabled' })
  disable(
    @Req() req: AppRequest,
    @CurrentActor() actor: Actor,
    @ClientIp() ip: string,
    @Param('id', uuid) id: string,
  ): Promise<TechnicianDetailDto> {
    return this.technicians.disable(abilityOf(req), actor, id, ip);
  }

  @Post(':id/enable')
  @HttpCode(200)
  @CheckPolicies((a) => a.can('approve', 'Technician'))
  @ApiOperation({ summary: 'Re-enable a disabled technician (approved again)' })
  @ApiOkResponse({ type: TechnicianDetailDto })
  @ApiNotFoundResponse({ description: 'no such technician in this store' })
  @ApiConflictResponse({ description: 'not disabled' })
  enable(
    @Req() req: AppRequest,
    @CurrentActor() actor: Actor,
    @ClientIp() ip: string,
    @Param('id', uuid) id: string,
  ): Promise<TechnicianDetailDto> {
    return this.technicians.enable(abilityOf(req), actor, id, ip);
  }
}
