import { Body, Controller, ForbiddenException, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { Actor } from '../../platform/auth/actor';
import type { AppAbility } from '../../platform/authz/app-ability';
import { CheckPolicies } from '../../platform/authz/check-policies';
import { CurrentActor, CurrentTenant, type AppRequest } from '../../platform/http/request-context';
import { NoTransaction, TenantScoped } from '../../platform/http/route-metadata';
import type { TenantInfo } from '../../platform/tenancy/tenant-directory';
import { OrderIdParam } from './dto/pay.dto';
import { CashRefundsService } from './cash-refunds.service';
import { CashHandoverDto, CreateRefundDto, RefundIdParam, RefundView } from './dto/refund.dto';
import { RefundsService } from './refunds.service';

const abilityOf = (req: AppRequest): AppAbility => {
  if (!req.ability) throw new ForbiddenException();
  return req.ability;
};

class RefundListQuery {
  @ApiPropertyOptional({ enum: ['requested', 'approved', 'processing', 'succeeded', 'rejected', 'failed'] })
  @IsOptional()
  @IsIn(['requested', 'approved', 'processing', 'succeeded', 'rejected', 'failed'])
  status?: string;
}

/** 退款: asked by customers or staff; owners and managers approve what is beyond policy. */
@ApiTags('refunds')
@ApiBearerAuth()
@TenantScoped()
@Controller('api')
export class RefundsController {
  constructor(
    private readonly refunds: RefundsService,
    private readonly cash: CashRefundsService,
  ) {}

  @Post('orders/:id/refunds')
  @NoTransaction() // the service commits the refund before sending it to the provider
  @CheckPolicies((a) => a.can('create', 'Refund'))
  @ApiOperation({ summary: 'Ask for a refund (owner/manager: executes at once; others: waits for approval)' })
  @ApiOkResponse({ type: RefundView })
  @ApiNotFoundResponse({ description: 'no such order you can see' })
  create(
    @CurrentActor() actor: Actor,
    @CurrentTenant() tenant: TenantInfo,
    @Req() req: AppRequest,
    @Param() p: OrderIdParam,
    @Body() dto: CreateRefundDto,
  ) {
    return this.refunds.request(actor, abilityOf(req), tenant.id, p.id, dto);
  }

  @Get('orders/:id/refunds')
  @CheckPolicies((a) => a.can('read', 'Order'))
  @ApiOperation({ summary: 'Refunds of an order you can see' })
  @ApiOkResponse({ type: [RefundView] })
  listForOrder(@Req() req: AppRequest, @Param() p: OrderIdParam) {
    return this.refunds.listForOrder(abilityOf(req), p.id);
  }

  @Get('refunds')
  @CheckPolicies((a) => a.can('approve', 'Refund'))
  @ApiOperation({ summary: 'Refunds of the store (e.g. status=requested: waiting for approval)' })
  @ApiOkResponse({ type: [RefundView] })
  list(@Query() q: RefundListQuery) {
    return this.refunds.list(q.status);
  }

  @Post('refunds/:id/approve')
  @HttpCode(200)
  @NoTransaction()
  @CheckPolicies((a) => a.can('approve', 'Refund'))
  @ApiOperation({ summary: 'Approve a refund beyond policy (executes it)' })
  @ApiOkResponse({ type: RefundView })
  @ApiNotFoundResponse({ description: 'no such refund here' })
  approve(@CurrentActor() actor: Actor, @CurrentTenant() tenant: TenantInfo, @Param() p: RefundIdParam) {
    return this.refunds.approve(actor, tenant.id, p.id);
  }

  @Post('refunds/:id/cash-handover')
  @HttpCode(200)
  // store staff at the counter, managers, the owner (customers may ask for refunds but not this)
  @CheckPolicies((a) => a.can('create', 'Refund') && a.can('read', 'Payment'))
  @ApiOperation({
    summary: '到付: record the cash handed back to the customer (reference, who, when); books the refund',
  })
  @ApiOkResponse({ type: RefundView })
  @ApiNotFoundResponse({ description: 'no such refund here' })
  @ApiConflictResponse({ description: 'NOT_A_CASH_REFUND, REFUND_NOT_AWAITING_CASH or CASH_ALREADY_HANDED_BACK' })
  cashHandover(@CurrentActor() actor: Actor, @Param() p: RefundIdParam, @Body() dto: CashHandoverDto) {
    return this.cash.recordHandover(actor, p.id, dto);
  }

  @Post('refunds/:id/reject')
  @HttpCode(200)
  @CheckPolicies((a) => a.can('approve', 'Refund'))
  @ApiOperation({ summary: 'Reject a refund request' })
  @ApiOkResponse({ type: RefundView })
  @ApiNotFoundResponse({ description: 'no such refund here' })
  reject(@CurrentActor() actor: Actor, @Param() p: RefundIdParam) {
    return this.refunds.reject(actor, p.id);
  }
}
