import { Body, Controller, ForbiddenException, Get, HttpCode, Param, Post, Put, Query, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Actor } from '../../platform/auth/actor';
import type { AppAbility } from '../../platform/authz/app-ability';
import { CheckPolicies } from '../../platform/authz/check-policies';
import { CurrentActor, type AppRequest } from '../../platform/http/request-context';
import { TenantScoped } from '../../platform/http/route-metadata';
import { orderActorOf } from '../orders/order-actor';
import { AppealsService } from './appeals.service';
import { AssignmentService } from './assignment.service';
import { DispatchLogService } from './dispatch-log.service';
import { DispatchSettingsService } from './dispatch-settings.service';
import { AppealIdParam, AppealView, CreateAppealDto, ListAppealsQuery, ResolveAppealDto } from './dto/appeal.dto';
import { AssignDto, AssignResultDto, DispatchRunView, ListRunsQuery, OrderIdParam } from './dto/assign.dto';
import { DispatchLogDto } from './dto/dispatch-log.dto';
import { DispatchSettingsDto, UpdateDispatchSettingsDto } from './dto/dispatch-settings.dto';

const abilityOf = (req: AppRequest): AppAbility => {
  if (!req.ability) throw new ForbiddenException();
  return req.ability;
};

/** 派单: the store's dispatch rules, manual assignment and 转派, the explainable log, appeals. */
@ApiTags('dispatch')
@ApiBearerAuth()
@TenantScoped()
@Controller('api/dispatch')
export class DispatchController {
  constructor(
    private readonly settings: DispatchSettingsService,
    private readonly assignment: AssignmentService,
    private readonly log: DispatchLogService,
    private readonly appeals: AppealsService,
  ) {}

  @Get('settings')
  @CheckPolicies((a) => a.can('read', 'DispatchSettings'))
  @ApiOperation({ summary: 'Dispatch rules of the store (mode, offer timeout, radius steps, pool, weights)' })
  @ApiOkResponse({ type: DispatchSettingsDto })
  getSettings(): Promise<DispatchSettingsDto> {
    return this.settings.get();
  }

  @Put('settings')
  @CheckPolicies((a) => a.can('update', 'DispatchSettings'))
  @ApiOperation({ summary: 'Change the dispatch rules (owner/manager)' })
  @ApiOkResponse({ type: DispatchSettingsDto })
  @ApiBadRequestResponse({ description: 'a field is invalid (named in `fields`)' })
  putSettings(@CurrentActor() actor: Actor, @Body() body: UpdateDispatchSettingsDto): Promise<DispatchSettingsDto> {
    return this.settings.update(actor, body);
  }

  @Post('orders/:id/assign')
  @HttpCode(200)
  @CheckPolicies((a) => a.can('update', 'DispatchRun'))
  @ApiOperation({ summary: 'Assign a paid order to a technician by hand (reason required)' })
  @ApiOkResponse({ type: AssignResultDto })
  @ApiNotFoundResponse({ description: 'no such order or technician in this store' })
  @ApiConflictResponse({ description: 'SLOT_TAKEN (technician busy), ORDER_NOT_ASSIGNABLE, TECHNICIAN_NOT_ASSIGNABLE' })
  async assign(@CurrentActor() actor: Actor, @Param() p: OrderIdParam, @Body() body: AssignDto) {
    const o = await this.assignment.assign(p.id, body.technicianId, {
      via: 'manual',
      actor: orderActorOf(actor),
      reason: body.reason,
    });
    return { orderId: o.id, status: o.status, technicianId: o.technicianId! };
  }

  @Post('orders/:id/reassign')
  @HttpCode(200)
  @CheckPolicies((a) => a.can('update', 'DispatchRun'))
  @ApiOperation({ summary: '转派: hand an assigned order to another technician (reason required)' })
  @ApiOkResponse({ type: AssignResultDto })
  @ApiNotFoundResponse({ description: 'no such order or technician in this store' })
  @ApiConflictResponse({ description: 'SLOT_TAKEN (technician busy), ORDER_NOT_REASSIGNABLE' })
  async reassign(@CurrentActor() actor: Actor, @Param() p: OrderIdParam, @Body() body: AssignDto) {
    const o = await this.assignment.reassign(p.id, body.technicianId, {
      actor: orderActorOf(actor),
      reason: body.reason,
    });
    return { orderId: o.id, status: o.status, technicianId: o.technicianId! };
  }

  @Get('runs')
  @CheckPolicies((a) => a.can('read', 'DispatchLog') && a.can('update', 'DispatchRun'))
  @ApiOperation({ summary: 'Orders by dispatch state (staff), e.g. needs_staff: unassigned, waiting for a hand' })
  @ApiOkResponse({ type: [DispatchRunView] })
  runs(@Query() q: ListRunsQuery): Promise<DispatchRunView[]> {
    return this.log.runs(q.state);
  }

  @Get('orders/:id/log')
  @CheckPolicies((a) => a.can('read', 'DispatchLog'))
  @ApiOperation({
    summary: 'The dispatch story of an order (staff: every line; a technician: their own lines only)',
  })
  @ApiOkResponse({ type: DispatchLogDto })
  @ApiNotFoundResponse({ description: 'no such order here (or, for a technician, none involving them)' })
  getLog(@CurrentActor() actor: Actor, @Param() p: OrderIdParam): Promise<DispatchLogDto> {
    return actor.kind === 'technician' ? this.log.forTechnician(actor, p.id) : this.log.forStaff(p.id);
  }

  @Post('appeals')
  @CheckPolicies((a) => a.can('create', 'DispatchAppeal'))
  @ApiOperation({ summary: 'A technician appeals a dispatch decision involving them' })
  @ApiOkResponse({ type: AppealView })
  @ApiNotFoundResponse({ description: 'no order whose dispatch involved you' })
  createAppeal(@CurrentActor() actor: Actor, @Body() body: CreateAppealDto): Promise<AppealView> {
    return this.appeals.create(actor, body);
  }

  @Get('appeals')
  @CheckPolicies((a) => a.can('read', 'DispatchAppeal'))
  @ApiOperation({ summary: 'Appeals (staff: the store’s; a technician: their own)' })
  @ApiOkResponse({ type: [AppealView] })
  listAppeals(@Req() req: AppRequest, @Query() q: ListAppealsQuery): Promise<AppealView[]> {
    return this.appeals.list(abilityOf(req), q);
  }

  @Post('appeals/:id/resolve')
  @HttpCode(200)
  @CheckPolicies((a) => a.can('update', 'DispatchAppeal'))
  @ApiOperation({ summary: 'Answer an appeal (owner/manager)' })
  @ApiOkResponse({ type: AppealView })
  @ApiNotFoundResponse({ description: 'no such appeal in this store' })
  @ApiConflictResponse({ description: 'APPEAL_RESOLVED' })
  resolveAppeal(
    @CurrentActor() actor: Actor,
    @Param() p: AppealIdParam,
    @Body() body: ResolveAppealDto,
  ): Promise<AppealView> {
    return this.appeals.resolve(actor, p.id, body.reply);
  }
}
