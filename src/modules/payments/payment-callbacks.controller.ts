import { Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn, Matches } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { CurrentTenant } from '../../platform/http/request-context';
import { AllowClosedStore, NoTransaction, Public, TenantScoped } from '../../platform/http/route-metadata';
import type { TenantInfo } from '../../platform/tenancy/tenant-directory';
import { CALLBACK_PROVIDERS, PaymentCallbacksService, type CallbackProvider } from './payment-callbacks.service';
import type { ProviderReply } from './providers/payment-provider';
import type { RawBodyRequest } from './raw-body';
import { SandboxGatewayService } from './sandbox-gateway.service';

export const CALLBACK_ROUTE = '/api/payments/callbacks/:provider';

class ProviderCallbackParam {
  @ApiProperty({ enum: CALLBACK_PROVIDERS })
  @IsIn(CALLBACK_PROVIDERS)
  provider!: CallbackProvider;
}

class SandboxCheckoutParam {
  @ApiProperty()
  @Matches(/^P[0-9a-f]{31}$/)
  outTradeNo!: string;
}

class SandboxResultParam extends SandboxCheckoutParam {
  @ApiProperty({ enum: ['pay', 'fail'] })
  @IsIn(['pay', 'fail'])
  result!: 'pay' | 'fail';
}

const send = (reply: FastifyReply, r: ProviderReply): string => {
  void reply.status(r.status).headers(r.headers);
  return r.body;
};

/**
 * Public routes the payment providers (and the sandbox checkout page) call. Signatures are the
 * authentication: the raw body is kept for this route only (raw-body.ts). Callbacks are taken
 * even when the store is closed — the money has moved either way.
 */
@ApiTags('payments (provider callbacks)')
@Public()
@AllowClosedStore()
@TenantScoped()
@Controller('api/payments')
export class PaymentCallbacksController {
  constructor(
    private readonly callbacks: PaymentCallbacksService,
    private readonly sandbox: SandboxGatewayService,
  ) {}

  @Post('callbacks/:provider')
  @HttpCode(200)
  @ApiOperation({ summary: 'Asynchronous payment notification (answered in the provider’s format)' })
  async callback(
    @Param() p: ProviderCallbackParam,
    @Req() req: RawBodyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return send(reply, await this.callbacks.handle(p.provider, req.headers, req.rawBody ?? Buffer.alloc(0)));
  }

  @Get('sandbox/checkout/:outTradeNo')
  @ApiOperation({ summary: 'Sandbox checkout page (local use; Pay / Fail)' })
  @ApiOkResponse({ description: 'HTML page' })
  async checkout(
    @CurrentTenant() tenant: TenantInfo,
    @Param() p: SandboxCheckoutParam,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    void reply.header('content-type', 'text/html; charset=utf-8');
    return this.sandbox.checkoutPage(tenant, p.outTradeNo);
  }

  @Post('sandbox/checkout/:outTradeNo/:result')
  @HttpCode(200)
  @NoTransaction() // the service opens its own unit of work (plain SQL first)
  @ApiOperation({ summary: 'Sandbox Pay / Fail: sends a signed notification through the callback path' })
  async complete(
    @CurrentTenant() tenant: TenantInfo,
    @Param() p: SandboxResultParam,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return send(reply, await this.sandbox.complete(tenant.id, p.outTradeNo, p.result));
  }
}
