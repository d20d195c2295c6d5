import { Module } from '@nestjs/common';
import { SignupController } from './signup.controller';
import { SignupService } from './signup.service';
import { SignupRepository } from './signup.repository';
import { SignupLimits } from './signup-limits';

/** Public franchise sign-up (not tenant-scoped: the store does not exist yet). */
@Module({
  controllers: [SignupController],
  providers: [SignupService, SignupRepository, SignupLimits],
})
export class SignupModule {}
