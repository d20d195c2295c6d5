import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Actor } from '../../platform/auth/actor';
import { CheckPolicies } from '../../platform/authz/check-policies';
import { CurrentActor, type AppRequest } from '../../platform/http/request-context';
import { TenantScoped } from '../../platform/http/route-metadata';
import {
  ApproveWithdrawalDto,
  PaidWithdrawalDto,
  RejectWithdrawalDto,
  SosView,
  WithdrawalView,
} from './dto/technician-work.dto';
import { ExtensionView } from './dto/extension.dto';
import { ExtensionsService } from './extensions.service';
import { IncomeService } from './income.service';
import { SosService } from './sos.service';
import { abilityOf } from './technician-work.controller';

/** Store side: SOS alerts (all staff) and withdrawal review / payout (owner, manager). */
@ApiTags('technician safety & withdrawals (staff)')
@ApiBearerAuth()
@TenantScoped()
@Controller('api')
export class StaffSafetyMoneyController {
  constructor(
    private readonly sos: SosService,
    private readonly income: IncomeService,
    private readonly extensions: ExtensionsService,
  ) {}

  @Get('sos')
  @CheckPolicies((a) => a.can('update', 'SosAlert'))
  @ApiOperation({ summary: 'SOS alerts of the store, newest first' })
  @ApiOkResponse({ type: [SosView] })
  listSos(@Req() req: AppRequest): Promise<SosView[]> {
    return this.sos.list(abilityOf(req));
  }

  @Post('sos/:id/ack')
  @HttpCode(200)
  @CheckPolicies((a) => a.can('update', 'SosAlert'))
  @ApiOperation({ summary: 'Acknowledge an SOS alert (idempotent)' })
  @ApiOkResponse({ type: SosView })
  @ApiNotFoundResponse({ description: 'no such alert in this store' })
  ackSos(
    @Req() req: AppRequest,
    @CurrentActor() actor: Actor,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<SosView> {
    return this.sos.ack(abilityOf(req), actor, id);
  }

  @Post('orders/:id/extensions/:extId/confirm')
  @HttpCode(200)
  // the one who pays confirms: only customers may create payments (and only for their own orders)
  @CheckPolicies((a) => a.can('create', 'Payment'))
  @ApiOperation({ summary: '加钟: the customer confirms a proposed extension; then pay it (…/extensions/:extId/pay)' })
  @ApiOkResponse({ type: ExtensionView })
  @ApiNotFoundResponse({ description: 'no such order of mine or extension of it' })
  @ApiConflictResponse({ description: 'ILLEGAL_TRANSITION (service over), SLOT_TAKEN, EXTENSION_NOT_PROPOSED' })
  confirmExtension(
    @CurrentActor() actor: Actor,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('extId', new ParseUUIDPipe()) extId: string,
  ): Promise<ExtensionView> {
    return this.extensions.confirm(actor, id, extId);
  }

  @Get('withdrawals')
  @CheckPolicies((a) => a.can('read', 'Withdrawal'))
  @ApiOperation({ summary: 'Withdrawals visible to me (technician: mine; managers: the store’s)' })
  @ApiOkResponse({ type: [WithdrawalView] })
  listWithdrawals(@Req() req: AppRequest): Promise<WithdrawalView[]> {
    return this.income.list(abilityOf(req));
  }

  @Post('withdrawals/:id/approve')
  @HttpCode(200)
  @CheckPolicies((a) => a.can('approve', 'Withdrawal'))
  @ApiOperation({ summary: 'Approve a pending withdrawal' })
  @ApiOkResponse({ type: WithdrawalView })
  @ApiNotFoundResponse({ description: 'no such withdrawal in this store' })
  @ApiConflictResponse({ description: 'ILLEGAL_WITHDRAWAL_STATE' })
  approve(
    @Req() req: AppRequest,
    @CurrentActor() actor: Actor,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ApproveWithdrawalDto,
  ): Promise<WithdrawalView> {
    return this.income.decide(abilityOf(req), actor, id, 'approve', body.reason ?? null);
  }

  @Post('withdrawals/:id/reject')
  @HttpCode(200)
  @CheckPolicies((a) => a.can('approve', 'Withdrawal'))
  @ApiOperation({ summary: 'Reject a pending withdrawal with a reason (the amount is available again)' })
  @ApiOkResponse({ type: WithdrawalView })
  @ApiNotFoundResponse({ description: 'no such withdrawal in this store' })
  @ApiConflictResponse({ description: 'ILLEGAL_WITHDRAWAL_STATE' })
  reject(
    @Req() req: AppRequest,
    @CurrentActor() actor: Actor,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: RejectWithdrawalDto,
  ): Promise<WithdrawalView> {
    return this.income.decide(abilityOf(req), actor, id, 'reject', body.reason);
  }

  @Post('withdrawals/:id/paid')
  @HttpCode(200)
  @CheckPolicies((a) => a.can('approve', 'Withdrawal'))
  @ApiOperation({
    summary: 'Mark an approved withdrawal paid by its transfer reference; posts the payout to the ledger',
  })
  @ApiOkResponse({ type: WithdrawalView })
  @ApiNotFoundResponse({ description: 'no such withdrawal in this store' })
  @ApiConflictResponse({ description: 'ILLEGAL_WITHDRAWAL_STATE' })
  paid(
    @Req() req: AppRequest,
    @CurrentActor() actor: Actor,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: PaidWithdrawalDto,
  ): Promise<WithdrawalView> {
    return this.income.decide(abilityOf(req), actor, id, 'paid', body.reference);
  }
}
