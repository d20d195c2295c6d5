import { Body, Controller, ForbiddenException, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
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
import {
  ArriveDto,
  IncomeQuery,
  IncomeView,
  SosDto,
  SosView,
  TechnicianOrderView,
  WithdrawalView,
  WithdrawDto,
} from './dto/technician-work.dto';
import { ExtensionView, ProposeExtensionDto } from './dto/extension.dto';
import { ExtensionsService } from './extensions.service';
import { IncomeService } from './income.service';
import { SosService } from './sos.service';
import { TechnicianOrdersService } from './technician-orders.service';

/** Technicians only: the same marker dispatch uses (only technicians answer their own offers). */
const technicianOnly = (a: AppAbility) => a.can('update', 'DispatchOffer');

export const abilityOf = (req: AppRequest): AppAbility => {
  if (!req.ability) throw new ForbiddenException();
  return req.ability;
};

/** The technician app: own orders (trip steps), SOS, income and withdrawals. */
@ApiTags('technician app')
@ApiBearerAuth()
@TenantScoped()
@Controller('api/technician')
export class TechnicianWorkController {
  constructor(
    private readonly orders: TechnicianOrdersService,
    private readonly sos: SosService,
    private readonly income: IncomeService,
    private readonly extensions: ExtensionsService,
  ) {}

  @Get('orders')
  @CheckPolicies(technicianOnly)
  @ApiOperation({ summary: 'My orders; exact address + masked phone only while active (assigned … in_service)' })
  @ApiOkResponse({ type: [TechnicianOrderView] })
  list(@CurrentActor() actor: Actor): Promise<TechnicianOrderView[]> {
    return this.orders.list(actor);
  }

  @Post('orders/:id/depart')
  @HttpCode(200)
  @CheckPolicies(technicianOnly)
  @ApiOperation({ summary: '出发: leave for an accepted order of mine' })
  @ApiOkResponse({ type: TechnicianOrderView })
  @ApiNotFoundResponse({ description: 'no such order of mine' })
  @ApiConflictResponse({ description: 'ILLEGAL_TRANSITION' })
  depart(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string): Promise<TechnicianOrderView> {
    return this.orders.step(actor, id, 'depart');
  }

  @Post('orders/:id/arrive')
  @HttpCode(200)
  @CheckPolicies(technicianOnly)
  @ApiOperation({ summary: '到达签到: check in, within the geofence of the address (CHECKIN_GEOFENCE_M)' })
  @ApiOkResponse({ type: TechnicianOrderView })
  @ApiBadRequestResponse({ description: 'OUTSIDE_GEOFENCE (fields lat/lng, with the distance)' })
  @ApiNotFoundResponse({ description: 'no such order of mine' })
  @ApiConflictResponse({ description: 'ILLEGAL_TRANSITION' })
  arrive(
    @CurrentActor() actor: Actor,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ArriveDto,
  ): Promise<TechnicianOrderView> {
    return this.orders.arrive(actor, id, body);
  }

  @Post('orders/:id/start')
  @HttpCode(200)
  @CheckPolicies(technicianOnly)
  @ApiOperation({ summary: '开始服务: start the service after check-in' })
  @ApiOkResponse({ type: TechnicianOrderView })
  @ApiNotFoundResponse({ description: 'no such order of mine' })
  @ApiConflictResponse({ description: 'ILLEGAL_TRANSITION' })
  start(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string): Promise<TechnicianOrderView> {
    return this.orders.step(actor, id, 'start');
  }

  @Post('orders/:id/complete')
  @HttpCode(200)
  @CheckPolicies(technicianOnly)
  @ApiOperation({ summary: '完成签退: check out; the order settles to the ledger (earnings)' })
  @ApiOkResponse({ type: TechnicianOrderView })
  @ApiNotFoundResponse({ description: 'no such order of mine' })
  @ApiConflictResponse({ description: 'ILLEGAL_TRANSITION' })
  complete(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string): Promise<TechnicianOrderView> {
    return this.orders.step(actor, id, 'complete');
  }

  @Post('orders/:id/extensions')
  @HttpCode(201)
  @CheckPolicies(technicianOnly)
  @ApiOperation({ summary: '加钟: propose an extension during the service; the customer confirms it' })
  @ApiCreatedResponse({ type: ExtensionView })
  @ApiBadRequestResponse({ description: 'units out of range' })
  @ApiNotFoundResponse({ description: 'no such order of mine' })
  @ApiConflictResponse({ description: 'ILLEGAL_TRANSITION (not in service) or EXTENSION_NOT_OFFERED' })
  proposeExtension(
    @CurrentActor() actor: Actor,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ProposeExtensionDto,
  ): Promise<ExtensionView> {
    return this.extensions.propose(actor, id, body.units);
  }

  @Post('sos')
  @HttpCode(201)
  @CheckPolicies((a) => a.can('create', 'SosAlert'))
  @ApiOperation({ summary: '紧急求助 SOS: alerts the store’s staff at once (live + notification) with my location' })
  @ApiCreatedResponse({ type: SosView })
  @ApiBadRequestResponse({ description: 'invalid lat/lng/note' })
  raiseSos(@CurrentActor() actor: Actor, @Body() body: SosDto): Promise<SosView> {
    return this.sos.raise(actor, body);
  }

  @Get('income')
  @CheckPolicies(technicianOnly)
  @ApiOperation({ summary: 'My income per day/week/month (store time zone), from the ledger; balance and available' })
  @ApiOkResponse({ type: IncomeView })
  @ApiBadRequestResponse({ description: 'invalid period/from/to' })
  incomeStats(@CurrentActor() actor: Actor, @Query() q: IncomeQuery): Promise<IncomeView> {
    return this.income.income(actor, q);
  }

  @Post('withdrawals')
  @HttpCode(201)
  @CheckPolicies((a) => a.can('create', 'Withdrawal'))
  @ApiOperation({ summary: '提现: ask for a payout of at most the available balance' })
  @ApiCreatedResponse({ type: WithdrawalView })
  @ApiBadRequestResponse({ description: 'INSUFFICIENT_BALANCE (field amountFen)' })
  withdraw(@CurrentActor() actor: Actor, @Body() body: WithdrawDto): Promise<WithdrawalView> {
    return this.income.withdraw(actor, body.amountFen);
  }
}
