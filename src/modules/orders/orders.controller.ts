import {
  Body,
  Controller,
  ForbiddenException,
  Get,
  Headers,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiGoneResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { BadRequestException, HttpCode } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Actor } from '../../platform/auth/actor';
import type { AppAbility } from '../../platform/authz/app-ability';
import { CheckPolicies } from '../../platform/authz/check-policies';
import { ClientIp, CurrentActor, CurrentTenant, type AppRequest } from '../../platform/http/request-context';
import { NoTransaction, TenantScoped } from '../../platform/http/route-metadata';
import type { TenantInfo } from '../../platform/tenancy/tenant-directory';
import {
  BookedOrderDto,
  CancelOrderDto,
  CancelResultDto,
  CreateOrderDto,
  ListOrdersQuery,
  ExtendOrderDto,
  OrderDto,
  OrderExtensionDto,
  TransitionDto,
} from './dto/order.dto';
import { OrderActionsService } from './order-actions.service';
import { OrderCancellationService } from './order-cancellation.service';
import { OrdersService } from './orders.service';

const abilityOf = (req: AppRequest): AppAbility => {
  if (!req.ability) throw new ForbiddenException();
  return req.ability;
};

const KEY = /^[A-Za-z0-9_.:-]{8,128}$/;

function idempotencyKey(raw: string | undefined): string {
  if (raw !== undefined && KEY.test(raw)) return raw;
  const message =
    'Idempotency-Key 请求头必填（8–128 位字母数字）/ the Idempotency-Key header is required (8–128 of A-Z a-z 0-9 _ . : -)';
  throw new BadRequestException({
    code: 'IDEMPOTENCY_KEY_REQUIRED',
    message,
    fields: [{ field: 'Idempotency-Key', messages: [message] }],
  });
}

/**
 * Orders for everyone in the store, scoped by CASL: a customer sees their own, a technician the
 * ones assigned to them, staff all of the store's (with filters).
 */
@ApiTags('orders')
@ApiBearerAuth()
@TenantScoped()
@Controller('api/orders')
export class OrdersController {
  constructor(
    private readonly orders: OrdersService,
    private readonly cancellation: OrderCancellationService,
    private readonly actions: OrderActionsService,
  ) {}

  @Post()
  @HttpCode(201)
  @NoTransaction() // the service opens its own unit of work: plain SQL, or Prisma for pay on arrival
  @CheckPolicies((a) => a.can('create', 'Order'))
  @ApiOperation({
    summary:
      'Book a quote (customers). Same Idempotency-Key + same body → the same order (201 again, header Idempotent-Replayed: true)',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description: '8–128 of A-Z a-z 0-9 _ . : -, unique per booking attempt',
  })
  @ApiCreatedResponse({ type: BookedOrderDto })
  @ApiBadRequestResponse({
    description:
      'missing Idempotency-Key, unknown quoteId, start in the past, a payment method the store does not take (fields name them)',
  })
  @ApiGoneResponse({ description: 'QUOTE_EXPIRED' })
  @ApiConflictResponse({ description: 'SLOT_TAKEN: the chosen technician is no longer free' })
  @ApiUnprocessableEntityResponse({ description: 'IDEMPOTENCY_KEY_REUSED: same key, different body' })
  @ApiForbiddenResponse({ description: 'not a customer of this store' })
  async create(
    @CurrentActor() actor: Actor,
    @CurrentTenant() tenant: TenantInfo,
    @Req() req: AppRequest,
    @ClientIp() clientIp: string,
    @Headers('idempotency-key') rawKey: string | undefined,
    @Body() body: CreateOrderDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BookedOrderDto> {
    const booker = { actor, ability: abilityOf(req), clientIp };
    const { order, replayed, checkout } = await this.orders.create(tenant, booker, idempotencyKey(rawKey), body);
    if (replayed) void reply.header('Idempotent-Replayed', 'true');
    return checkout ? { ...order, checkout } : order;
  }

  @Get()
  @CheckPolicies((a) => a.can('read', 'Order'))
  @ApiOperation({ summary: 'Orders visible to me, newest first (customers: mine; staff: the store’s, with filters)' })
  @ApiOkResponse({ type: [OrderDto] })
  @ApiBadRequestResponse({ description: 'invalid filter (named in `fields`)' })
  list(@Req() req: AppRequest, @Query() query: ListOrdersQuery): Promise<OrderDto[]> {
    return this.orders.list(abilityOf(req), query);
  }

  @Get(':id')
  @CheckPolicies((a) => a.can('read', 'Order'))
  @ApiOperation({ summary: 'One order with its address and event log' })
  @ApiOkResponse({ type: OrderDto })
  @ApiNotFoundResponse({ description: 'no such order visible to you' })
  get(
    @Req() req: AppRequest,
    @CurrentActor() actor: Actor,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<OrderDto> {
    return this.orders.get(abilityOf(req), actor, id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @CheckPolicies((a) => a.can('cancel', 'Order'))
  @ApiOperation({ summary: 'Cancel by the store’s policy; returns the refund owed (executed by payments)' })
  @ApiOkResponse({ type: CancelResultDto })
  @ApiNotFoundResponse({ description: 'no such order of yours' })
  @ApiConflictResponse({ description: 'ILLEGAL_TRANSITION: the service has already begun or the order is closed' })
  cancel(
    @Req() req: AppRequest,
    @CurrentActor() actor: Actor,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: CancelOrderDto,
  ): Promise<CancelResultDto> {
    return this.cancellation.cancel(abilityOf(req), actor, id, body.reason);
  }

  @Post(':id/transitions')
  @HttpCode(200)
  @CheckPolicies((a) => a.can('update', 'Order'))
  @ApiOperation({
    summary: 'Move an order along (owner/manager): dispatch, assign, accept, depart, arrive, start, complete',
  })
  @ApiOkResponse({ type: OrderDto })
  @ApiNotFoundResponse({ description: 'no such order in this store' })
  @ApiConflictResponse({ description: 'ILLEGAL_TRANSITION, or SLOT_TAKEN when assigning a busy technician' })
  transition(
    @Req() req: AppRequest,
    @CurrentActor() actor: Actor,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: TransitionDto,
  ): Promise<OrderDto> {
    return this.actions.transition(abilityOf(req), actor, id, body);
  }

  @Post(':id/extensions')
  @HttpCode(201)
  @CheckPolicies((a) => a.can('update', 'Order'))
  @ApiOperation({ summary: '加钟: extend a service in progress (owner/manager); creates a supplementary charge' })
  @ApiCreatedResponse({ type: OrderExtensionDto })
  @ApiBadRequestResponse({ description: 'addonId is not an extension offered with this service, or quantity too high' })
  @ApiNotFoundResponse({ description: 'no such order in this store' })
  @ApiConflictResponse({
    description: 'ILLEGAL_TRANSITION (not in service) or SLOT_TAKEN (runs into the next booking)',
  })
  extend(
    @Req() req: AppRequest,
    @CurrentActor() actor: Actor,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ExtendOrderDto,
  ): Promise<OrderExtensionDto> {
    return this.actions.extend(abilityOf(req), actor, id, body);
  }
}
