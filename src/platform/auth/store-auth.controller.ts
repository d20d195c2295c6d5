import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { CurrentTenant } from '../http/request-context';
import { AllowClosedStore, Public, TenantScoped } from '../http/route-metadata';
import type { TenantInfo } from '../tenancy/tenant-directory';
import { Client } from './client-info';
import { PasswordLoginDto } from './dto/password-login.dto';
import { SendSmsCodeDto, SmsCodeSentDto, SmsLoginDto } from './dto/sms-login.dto';
import { RefreshDto, TokensDto } from './dto/tokens.dto';
import type { ClientInfo } from './session.service';
import { StoreSignInService } from './store-sign-in.service';

/** Sign-in at a store (`/t/{slug}/api/auth/…` or `{slug}.{domain}/api/auth/…`). No policy check: anyone may try. */
@ApiTags('auth')
@TenantScoped()
@Public()
@Controller('api/auth')
export class StoreAuthController {
  constructor(private readonly signIn: StoreSignInService) {}

  @Post('sms/send')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a 6-digit sign-in code by SMS 发送短信验证码 (valid 5 minutes)' })
  @ApiOkResponse({ type: SmsCodeSentDto })
  @ApiBadRequestResponse({
    description: 'phone is not a mainland mobile, or purpose unknown; SMS_INVALID_NUMBER: the gateway cannot reach it',
  })
  @ApiTooManyRequestsResponse({
    description:
      "RATE_LIMITED: per number (1/min, 10/day) or per IP; SMS_RATE_LIMITED: the SMS gateway's own flow control; see Retry-After",
  })
  @ApiForbiddenResponse({ description: 'STORE_CLOSED' })
  @ApiServiceUnavailableResponse({ description: 'SMS_UNAVAILABLE: the SMS gateway did not answer in time' })
  @ApiBadGatewayResponse({ description: 'SMS_REJECTED: the SMS gateway refused the message (its configuration)' })
  send(@CurrentTenant() tenant: TenantInfo, @Body() body: SendSmsCodeDto, @Client() client: ClientInfo) {
    return this.signIn.sendCode(tenant, body.phone, body.purpose, client);
  }

  @Post('customer/login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Customer sign-in with phone + SMS code 用户登录; the first sign-in creates the customer' })
  @ApiOkResponse({ type: TokensDto })
  @ApiUnauthorizedResponse({ description: 'INVALID_CODE (wrong or expired), with attemptsLeft' })
  @ApiTooManyRequestsResponse({ description: 'RATE_LIMITED: 5 wrong codes, or too many tries from this IP' })
  customer(@CurrentTenant() tenant: TenantInfo, @Body() body: SmsLoginDto, @Client() client: ClientInfo) {
    return this.signIn.smsLogin(tenant, 'customer', body, client);
  }

  @Post('technician/login')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Technician sign-in with phone + SMS code 技师登录; the first sign-in registers an applicant',
  })
  @ApiOkResponse({ type: TokensDto })
  @ApiUnauthorizedResponse({ description: 'INVALID_CODE' })
  @ApiForbiddenResponse({ description: 'ACCOUNT_DISABLED or STORE_CLOSED' })
  @ApiTooManyRequestsResponse({ description: 'RATE_LIMITED' })
  technician(@CurrentTenant() tenant: TenantInfo, @Body() body: SmsLoginDto, @Client() client: ClientInfo) {
    return this.signIn.smsLogin(tenant, 'technician', body, client);
  }

  @Post('staff/login')
  @HttpCode(200)
  @AllowClosedStore()
  @ApiOperation({ summary: 'Staff sign-in with e-mail + password 员工登录 (also for pending/suspended stores)' })
  @ApiOkResponse({ type: TokensDto })
  @ApiUnauthorizedResponse({ description: 'INVALID_CREDENTIALS (same answer for unknown e-mail and wrong password)' })
  @ApiTooManyRequestsResponse({ description: 'RATE_LIMITED: too many attempts for this account or IP' })
  staff(@CurrentTenant() tenant: TenantInfo, @Body() body: PasswordLoginDto, @Client() client: ClientInfo) {
    return this.signIn.staffLogin(tenant, body.email, body.password, client);
  }

  @Post('refresh')
  @HttpCode(200)
  @AllowClosedStore()
  @ApiOperation({ summary: 'Exchange a refresh token for a new pair; a reused token ends the whole session' })
  @ApiOkResponse({ type: TokensDto })
  @ApiUnauthorizedResponse({ description: 'INVALID_REFRESH_TOKEN (unknown, expired, reused or of another store)' })
  refresh(@CurrentTenant() tenant: TenantInfo, @Body() body: RefreshDto, @Client() client: ClientInfo) {
    return this.signIn.refresh(tenant, body.refreshToken, client);
  }
}
