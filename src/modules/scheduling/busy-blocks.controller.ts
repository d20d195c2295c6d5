import { Body, Controller, Delete, ForbiddenException, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
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
import type { AppAbility } from '../../platform/authz/app-ability';
import { CheckPolicies } from '../../platform/authz/check-policies';
import { ClientIp, CurrentActor, CurrentTenant, type AppRequest } from '../../platform/http/request-context';
import { TenantScoped } from '../../platform/http/route-metadata';
import type { TenantInfo } from '../../platform/tenancy/tenant-directory';
import { BusyBlocksService } from './busy-blocks.service';
import { BusyBlockRangeQuery, BusyBlockView, CreateBusyBlockDto } from './dto/busy-block.dto';
import { IdParam, TechnicianIdParam } from './dto/shift.dto';

const abilityOf = (req: AppRequest): AppAbility => {
  if (!req.ability) throw new ForbiddenException();
  return req.ability;
};

/** Blocks of a technician's time set by the store (training, an errand): staff, managers, owner. */
@ApiTags('scheduling (staff)')
@ApiBearerAuth()
@ApiForbiddenResponse({ description: 'your role may not do this, or a token of another store' })
@TenantScoped()
@Controller('api/scheduling')
export class BusyBlocksController {
  constructor(private readonly blocks: BusyBlocksService) {}

  @Get('technicians/:technicianId/blocks')
  @CheckPolicies((a) => a.can('read', 'TechnicianBusy'))
  @ApiOperation({ summary: "A technician's blocks in force overlapping local dates from–to (inclusive)" })
  @ApiOkResponse({ type: [BusyBlockView] })
  @ApiBadRequestResponse({ description: 'from/to not dates, to before from, or more than 92 days' })
  @ApiNotFoundResponse({ description: 'no such technician here, or not yours to see' })
  list(
    @Req() req: AppRequest,
    @CurrentTenant() tenant: TenantInfo,
    @Param() p: TechnicianIdParam,
    @Query() q: BusyBlockRangeQuery,
  ): Promise<BusyBlockView[]> {
    return this.blocks.list(abilityOf(req), p.technicianId, tenant.timezone, q.from, q.to);
  }

  @Post('technicians/:technicianId/blocks')
  @CheckPolicies((a) => a.can('create', 'TechnicianBusy'))
  @ApiOperation({
    summary: "Block a technician's time with a reason (audited); availability stops offering it",
    description: 'Refused with 409 SLOT_TAKEN when it overlaps a booking, a checkout hold or another block.',
  })
  @ApiCreatedResponse({ type: BusyBlockView })
  @ApiBadRequestResponse({ description: 'start/end not instants, end not after start or in the past, reason blank' })
  @ApiNotFoundResponse({ description: 'no such technician in this store' })
  @ApiConflictResponse({ description: 'SLOT_TAKEN: the technician is already busy then' })
  create(
    @Req() req: AppRequest,
    @CurrentActor() actor: Actor,
    @ClientIp() ip: string,
    @Param() p: TechnicianIdParam,
    @Body() dto: CreateBusyBlockDto,
  ): Promise<BusyBlockView> {
    return this.blocks.create(abilityOf(req), actor, p.technicianId, dto, ip);
  }

  @Delete('blocks/:id')
  @HttpCode(204)
  @CheckPolicies((a) => a.can('delete', 'TechnicianBusy'))
  @ApiOperation({ summary: 'Remove a block (its time becomes bookable again; kept as history, audited)' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ description: 'no such block in this store (bookings and holds are not blocks)' })
  async remove(
    @Req() req: AppRequest,
    @CurrentActor() actor: Actor,
    @ClientIp() ip: string,
    @Param() p: IdParam,
  ): Promise<void> {
    await this.blocks.remove(abilityOf(req), actor, p.id, ip);
  }
}
