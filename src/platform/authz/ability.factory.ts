import { AbilityBuilder } from '@casl/ability';
import { Injectable } from '@nestjs/common';
import type { Actor } from '../auth/actor';
import type { AppAbility } from './app-ability';
import { createPrismaAbility } from './casl-prisma';

/**
 * Roles inside a store. RLS already confines every query to the request's store; these rules
 * decide what each role may do there (and, for `accessibleBy`, which of the store's rows).
 */
@Injectable()
export class AbilityFactory {
  createFor(actor: Actor | undefined): AppAbility {
    const { can, cannot, build } = new AbilityBuilder<AppAbility>(createPrismaAbility);
    // Anyone may read a store's public profile.
    can('read', 'Tenant');

    switch (actor?.role) {
      case 'platform_operator':
        can('manage', 'Platform');
        can('approve', 'TenantApplication');
        break;
      case 'tenant_owner':
        can('manage', 'all');
        cannot('manage', 'Platform');
        cannot('approve', 'TenantApplication');
        break;
      case 'store_manager':
        can('manage', ['Customer', 'Technician']);
        can('read', ['StaffAccount', 'AuditEvent', 'StoreSettings']);
        can(['create', 'update'], 'StaffAccount', { role: 'store_staff' });
        break;
      case 'store_staff':
        can('read', ['Customer', 'Technician', 'StoreSettings']);
        can('read', 'StaffAccount', { id: actor.id });
        break;
      case 'technician':
        can(['read', 'update'], 'Technician', { id: actor.id });
        break;
      case 'customer':
        can(['read', 'update'], 'Customer', { id: actor.id });
        break;
      case undefined:
        break;
    }
    if (actor && actor.kind !== 'operator') {
      // Everyone manages their own sign-in sessions, nobody else's.
      can(['read', 'delete'], 'AuthSession', { principalId: actor.id, principalType: actor.kind });
    }
    return build();
  }
}
