import { Global, Module } from '@nestjs/common';
import { AccessTokenService } from './auth/access-token.service';
import { SessionRevocations } from './auth/session-revocations';
import { TenantDirectory } from './tenancy/tenant-directory';
import { CurrentStore } from './tenancy/current-store';
import { AbilityFactory } from './authz/ability.factory';
import { AuditService } from './audit/audit.service';

/** Kernel services every feature module may inject. */
@Global()
@Module({
  providers: [AccessTokenService, SessionRevocations, TenantDirectory, CurrentStore, AbilityFactory, AuditService],
  exports: [AccessTokenService, SessionRevocations, TenantDirectory, CurrentStore, AbilityFactory, AuditService],
})
export class PlatformKernelModule {}
