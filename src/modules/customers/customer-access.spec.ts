import { describe, expect, it } from 'vitest';
import type { Actor, Role } from '../../platform/auth/actor';
import { AbilityFactory } from '../../platform/authz/ability.factory';
import { canListAllCustomers as sut } from './customer-access';

const factory = new AbilityFactory();
const kindOf = (role: Role): Actor['kind'] =>
  role === 'platform_operator' ? 'operator' : role === 'customer' || role === 'technician' ? role : 'staff';
const abilityOf = (role: Role) =>
  factory.createFor({ id: 'u1', role, kind: kindOf(role), tenantId: 't1', sessionId: 's1' });

describe('canListAllCustomers', () => {
  it.each(['tenant_owner', 'store_manager', 'store_staff'] as const)('lets %s list the store', (role) => {
    expect(sut(abilityOf(role))).toBe(true);
  });

  it.each(['customer', 'technician', 'platform_operator'] as const)('refuses %s', (role) => {
    expect(sut(abilityOf(role))).toBe(false);
  });

  it('refuses anonymous callers', () => {
    expect(sut(factory.createFor(undefined))).toBe(false);
  });

  it('keeps a customer able to read only themself', () => {
    expect(abilityOf('customer').can('read', 'Customer')).toBe(true);
    expect(sut(abilityOf('customer'))).toBe(false);
  });
});
