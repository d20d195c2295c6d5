import { Module } from '@nestjs/common';
import { SmsModule } from '../sms/sms.module';
import { AccountRepository } from './account.repository';
import { OperatorAuthService } from './operator-auth.service';
import { OperatorRepository } from './operator.repository';
import { PhoneSealer } from './phone-sealer';
import { PlatformAuthController } from './platform-auth.controller';
import { RateLimiter } from './rate-limiter';
import { SessionService } from './session.service';
import { SmsCodeService } from './sms-code.service';
import { StoreAuthController } from './store-auth.controller';
import { StoreSessionAccountService } from './store-session-account.service';
import { StoreSessionController } from './store-session.controller';
import { StoreSignInService } from './store-sign-in.service';
import { TenantSessionRepository } from './tenant-session.repository';
import { TokenIssuer } from './token-issuer';

/** Accounts and sign-in: SMS codes, passwords, rotating refresh tokens, sessions. */
@Module({
  imports: [SmsModule],
  controllers: [StoreAuthController, StoreSessionController, PlatformAuthController],
  providers: [
    AccountRepository,
    OperatorAuthService,
    OperatorRepository,
    PhoneSealer,
    RateLimiter,
    SessionService,
    SmsCodeService,
    StoreSessionAccountService,
    StoreSignInService,
    TenantSessionRepository,
    TokenIssuer,
  ],
  exports: [RateLimiter, PhoneSealer],
})
export class AuthModule {}
