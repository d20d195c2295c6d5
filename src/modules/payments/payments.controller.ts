import { Body, Controller, ForbiddenException, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import {
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
import { ClientIp, CurrentActor, CurrentTenant, type AppRequest } from '../../platform/http/request-context';
import { NoTransaction, TenantScoped } from '../../platform/http/route-metadata';
import type { TenantInfo } from '../../platform/tenancy/tenant-directory';
import { ExtensionParam, OrderIdParam, PaymentView, PayOrderDto, PayResultView } from './dto/pay.dto';
import {
  MismatchIdParam,
  MismatchView,
  ReconciliationQuery,
  ReconciliationView,
  ResolveMismatchDto,
} from './dto/reconciliation.dto';
import { MismatchResolutionService } from './mismatch-resolution.service';
import { PaymentsService } from './payments.service';
import { ReconciliationViewService } from './reconciliation-view.service';

const abilityOf = (req: AppRequest): AppAbility => {
  if (!req.ability) throw new ForbiddenException();
  return req.ability;
};

/** 支付: customers pay their orders; technicians confirm 到付 cash; staff see reconciliation. */
@ApiTags('payments')
@ApiBearerAuth()
@TenantScoped()
@Controller('api')
export class PaymentsController {
  constructor(
    private readonly payments: PaymentsService,
    private readonly reconciliation: ReconciliationViewService,
    private readonly mismatches: MismatchResolutionService,
  ) {}

  @Post('orders/:id/pay')
  @HttpCode(200)
  @NoTransaction() // the service commits the payment row before calling the provider
  @CheckPolicies((a) => a.can('create', 'Payment'))
  @ApiOperation({ summary: 'Pay one’s own pending order (wechat, alipay, balance, sandbox)' })
  @ApiOkResponse({ type: PayResultView })
  @ApiNotFoundResponse({ description: 'no such order of yours' })
  @ApiConflictResponse({ description: 'ORDER_NOT_PAYABLE or INSUFFICIENT_BALANCE' })
  pay(
    @CurrentActor() actor: Actor,
    @CurrentTenant() tenant: TenantInfo,
    @Req() req: AppRequest,
    @Param() p: OrderIdParam,
    @Body() dto: PayOrderDto,
    @ClientIp() ip: string,
  ) {
    return this.payments.pay(actor, abilityOf(req), tenant, p.id, dto, ip);
  }

  @Post('orders/:id/extensions/:extensionId/pay')
  @HttpCode(200)
  @NoTransaction()
  @CheckPolicies((a) => a.can('create', 'Payment'))
  @ApiOperation({ summary: '加钟: pay the supplementary charge of an extension of one’s own order' })
  @ApiOkResponse({ type: PayResultView })
  @ApiNotFoundResponse({ description: 'no such order of yours or no such extension of it' })
  @ApiConflictResponse({ description: 'EXTENSION_NOT_PAYABLE or INSUFFICIENT_BALANCE' })
  payExtension(
    @CurrentActor() actor: Actor,
    @CurrentTenant() tenant: TenantInfo,
    @Req() req: AppRequest,
    @Param() p: ExtensionParam,
    @Body() dto: PayOrderDto,
    @ClientIp() ip: string,
  ) {
    return this.payments.pay(actor, abilityOf(req), tenant, p.id, dto, ip, p.extensionId);
  }

  @Post('orders/:id/cash-collected')
  @HttpCode(200)
  @CheckPolicies((a) => a.can('collect', 'Payment'))
  @ApiOperation({ summary: '到付: the technician confirms the cash was collected' })
  @ApiOkResponse({ type: PaymentView })
  @ApiNotFoundResponse({ description: 'no such order assigned to you' })
  collect(@CurrentActor() actor: Actor, @Req() req: AppRequest, @Param() p: OrderIdParam) {
    return this.payments.collectCash(actor, abilityOf(req), p.id);
  }

  @Get('orders/:id/payments')
  @CheckPolicies((a) => a.can('read', 'Order'))
  @ApiOperation({ summary: 'Payments of an order you can see' })
  @ApiOkResponse({ type: [PaymentView] })
  listForOrder(@Req() req: AppRequest, @Param() p: OrderIdParam) {
    return this.payments.listForOrder(abilityOf(req), p.id);
  }

  @Get('payments/reconciliation')
  @CheckPolicies((a) => a.can('read', 'PaymentMismatch'))
  @ApiOperation({ summary: '对账: callbacks received vs provider queries, and the mismatches found' })
  @ApiOkResponse({ type: ReconciliationView })
  reconciliationView(@Query() q: ReconciliationQuery) {
    return this.reconciliation.view(q.since);
  }

  @Post('payments/reconciliation/mismatches/:id/resolve')
  @HttpCode(200)
  @CheckPolicies((a) => a.can('resolve', 'PaymentMismatch'))
  @ApiOperation({ summary: '对账: close a finding with what was found or done (who and when are recorded, audited)' })
  @ApiOkResponse({ type: MismatchView })
  @ApiNotFoundResponse({ description: 'no such finding here' })
  @ApiConflictResponse({ description: 'MISMATCH_ALREADY_RESOLVED (with another resolution)' })
  resolveMismatch(@CurrentActor() actor: Actor, @Param() p: MismatchIdParam, @Body() dto: ResolveMismatchDto) {
    return this.mismatches.resolve(actor, p.id, dto.resolution);
  }

  @Get('payments/:id')
  @CheckPolicies((a) => a.can('read', 'Order'))
  @ApiOperation({ summary: 'One payment (of an order you can see)' })
  @ApiOkResponse({ type: PaymentView })
  @ApiNotFoundResponse({ description: 'no such payment here' })
  get(@Req() req: AppRequest, @Param() p: OrderIdParam) {
    return this.payments.get(abilityOf(req), p.id);
  }
}
