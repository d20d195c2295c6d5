import { SetMetadata } from '@nestjs/common';
import type { AppAbility } from './app-ability';

export type PolicyHandler = (ability: AppAbility) => boolean;
export const CHECK_POLICIES = 'authz:check-policies';

/** Coarse per-route permission check, run by PoliciesGuard before the handler. */
export const CheckPolicies = (...handlers: PolicyHandler[]) => SetMetadata(CHECK_POLICIES, handlers);
