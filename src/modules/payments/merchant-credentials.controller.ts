import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../platform/auth/actor';
import { CheckPolicies } from '../../platform/authz/check-policies';
import { CurrentActor } from '../../platform/http/request-context';
import { TenantScoped } from '../../platform/http/route-metadata';
import { MerchantCredentialView, ProviderParam, SetMerchantCredentialDto } from './dto/merchant-credential.dto';
import { MerchantCredentialsService } from './merchant-credentials.service';

/** 商户配置: the owner's payment merchant settings. Secrets go in, never come out. */
@ApiTags('payments (merchant settings)')
@ApiBearerAuth()
@TenantScoped()
@Controller('api/payments/merchants')
export class MerchantCredentialsController {
  constructor(private readonly merchants: MerchantCredentialsService) {}

  @Get()
  @CheckPolicies((a) => a.can('read', 'MerchantCredential'))
  @ApiOperation({ summary: 'Configured providers (merchant id and enabled flag only)' })
  @ApiOkResponse({ type: [MerchantCredentialView] })
  list() {
    return this.merchants.list();
  }

  @Put(':provider')
  @CheckPolicies((a) => a.can('update', 'MerchantCredential'))
  @ApiOperation({ summary: 'Set a provider’s merchant credentials (stored encrypted)' })
  @ApiOkResponse({ type: MerchantCredentialView })
  set(@CurrentActor() actor: Actor, @Param() p: ProviderParam, @Body() dto: SetMerchantCredentialDto) {
    return this.merchants.set(actor.id, p.provider, dto);
  }

  @Post(':provider/enable')
  @HttpCode(200)
  @CheckPolicies((a) => a.can('update', 'MerchantCredential'))
  @ApiOperation({ summary: 'Accept payments through this provider' })
  @ApiOkResponse({ type: MerchantCredentialView })
  enable(@CurrentActor() actor: Actor, @Param() p: ProviderParam) {
    return this.merchants.setEnabled(actor.id, p.provider, true);
  }

  @Post(':provider/disable')
  @HttpCode(200)
  @CheckPolicies((a) => a.can('update', 'MerchantCredential'))
  @ApiOperation({ summary: 'Stop accepting payments through this provider' })
  @ApiOkResponse({ type: MerchantCredentialView })
  disable(@CurrentActor() actor: Actor, @Param() p: ProviderParam) {
    return this.merchants.setEnabled(actor.id, p.provider, false);
  }
}
