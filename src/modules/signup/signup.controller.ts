import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../../platform/http/route-metadata';
import { ClientIp } from '../../platform/http/request-context';
import { ResendVerificationDto, SignupDto, VerifyQueryDto } from './dto/signup.dto';
import { ResendAcceptedDto, SignupAcceptedDto, VerifiedStoreDto } from './dto/signup-result.dto';
import { SignupService, VERIFICATION_TTL_HOURS } from './signup.service';

@ApiTags('signup 加盟入驻')
@Public()
@Controller('api/signup')
export class SignupController {
  constructor(private readonly signup: SignupService) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: 'Apply to open a store; a verification e-mail is sent' })
  @ApiResponse({ status: 202, type: SignupAcceptedDto })
  @ApiResponse({ status: 400, description: 'invalid or reserved field (named in `fields`)' })
  @ApiResponse({ status: 409, description: 'SLUG_TAKEN' })
  async apply(@Body() body: SignupDto, @ClientIp() ip: string): Promise<SignupAcceptedDto> {
    await this.signup.apply(body, ip);
    return { status: 'verification_sent', expiresInHours: VERIFICATION_TTL_HOURS };
  }

  @Get('verify')
  @ApiOperation({ summary: 'Verify the e-mail (link from the e-mail): the store exists as pending' })
  @ApiResponse({ status: 200, type: VerifiedStoreDto })
  @ApiResponse({ status: 404, description: 'unknown link' })
  @ApiResponse({ status: 409, description: 'SLUG_TAKEN meanwhile' })
  @ApiResponse({ status: 410, description: 'expired link' })
  verifyByLink(@Query() q: VerifyQueryDto, @ClientIp() ip: string): Promise<VerifiedStoreDto> {
    return this.signup.verify(q.token, ip);
  }

  @Post('verify')
  @HttpCode(200)
  @ApiOperation({ summary: 'Verify the e-mail (same as GET, for clients that POST)' })
  @ApiResponse({ status: 200, type: VerifiedStoreDto })
  verify(@Query() q: VerifyQueryDto, @ClientIp() ip: string): Promise<VerifiedStoreDto> {
    return this.signup.verify(q.token, ip);
  }

  @Post('resend')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send the verification e-mail again (same answer whether or not it exists)' })
  @ApiResponse({ status: 202, type: ResendAcceptedDto })
  @ApiResponse({ status: 429, description: 'RATE_LIMITED' })
  async resend(@Body() body: ResendVerificationDto, @ClientIp() ip: string): Promise<ResendAcceptedDto> {
    await this.signup.resend(body.email, ip);
    return { status: 'ok' };
  }
}
