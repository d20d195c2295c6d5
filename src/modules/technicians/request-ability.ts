import { ForbiddenException } from '@nestjs/common';
import type { AppAbility } from '../../platform/authz/app-ability';
import type { AppRequest } from '../../platform/http/request-context';

/** The ability PoliciesGuard built for this request. */
export function abilityOf(req: AppRequest): AppAbility {
  if (!req.ability) throw new ForbiddenException();
  return req.ability;
}
