import { Body, Controller, Get, Put, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../platform/auth/actor';
import { CheckPolicies } from '../../platform/authz/check-policies';
import { CurrentActor, type AppRequest } from '../../platform/http/request-context';
import { Public, TenantScoped } from '../../platform/http/route-metadata';
import { PaymentMethodsView, PaymentSettingsView, UpdatePaymentSettingsDto } from './dto/payment-methods.dto';
import { PaymentMethodsService } from './payment-methods.service';

/**
 * 支付方式: what the store's checkout offers (public), and the switches for 到付 and the sandbox —
 * merchant settings, so owner-only like the merchant accounts.
 */
@ApiTags('payments')
@TenantScoped()
@Controller('api')
export class PaymentMethodsController {
  constructor(private readonly methods: PaymentMethodsService) {}

  @Get('payment-methods')
  @Public()
  // part of the store's public face, like its profile: anyone may read it
  @CheckPolicies((a) => a.can('read', 'Tenant'))
  @ApiOperation({
    summary:
      'Payment methods this store offers now (balance, with its amount, only for a signed-in customer who has one)',
  })
  @ApiOkResponse({ type: PaymentMethodsView })
  offered(@Req() req: AppRequest) {
    return this.methods.offered(req.actor);
  }

  @Get('payments/settings')
  @ApiBearerAuth()
  @CheckPolicies((a) => a.can('read', 'MerchantCredential'))
  @ApiOperation({ summary: 'The store’s payment settings (到付, sandbox)' })
  @ApiOkResponse({ type: PaymentSettingsView })
  settings() {
    return this.methods.getSettings();
  }

  @Put('payments/settings')
  @ApiBearerAuth()
  @CheckPolicies((a) => a.can('update', 'MerchantCredential'))
  @ApiOperation({ summary: 'Offer or stop offering 到付 / the sandbox (omitted fields stay as they are)' })
  @ApiOkResponse({ type: PaymentSettingsView })
  update(@CurrentActor() actor: Actor, @Body() dto: UpdatePaymentSettingsDto) {
    return this.methods.updateSettings(actor.id, dto);
  }
}
