import { subject } from '@casl/ability';
import { describe, expect, it } from 'vitest';
import type { Actor, Role } from '../auth/actor';
import { AbilityFactory } from './ability.factory';

const actor = (role: Role, id = 'u1'): Actor => ({
  id,
  role,
  kind:
    role === 'customer'
      ? 'customer'
      : role === 'technician'
        ? 'technician'
        : role === 'platform_operator'
          ? 'operator'
          : 'staff',
  tenantId: role === 'platform_operator' ? null : 't1',
  sessionId: 's1',
});

describe('AbilityFactory', () => {
  const sut = new AbilityFactory();

  it('lets only platform operators into the platform console', () => {
    expect(sut.createFor(actor('platform_operator')).can('manage', 'Platform')).toBe(true);
    for (const role of ['tenant_owner', 'store_manager', 'store_staff', 'technician', 'customer'] as const) {
      expect(sut.createFor(actor(role)).can('manage', 'Platform')).toBe(false);
      expect(sut.createFor(actor(role)).can('approve', 'TenantApplication')).toBe(false);
    }
  });

  it('gives the owner the whole store', () => {
    const a = sut.createFor(actor('tenant_owner'));
    expect(a.can('update', 'StoreSettings')).toBe(true);
    expect(a.can('create', subject('StaffAccount', { role: 'store_manager' } as never))).toBe(true);
  });

  it('lets a manager add staff but not other managers or owners', () => {
    const a = sut.createFor(actor('store_manager'));
    expect(a.can('create', subject('StaffAccount', { role: 'store_staff' } as never))).toBe(true);
    expect(a.can('create', subject('StaffAccount', { role: 'store_manager' } as never))).toBe(false);
    expect(a.can('update', 'StoreSettings')).toBe(false);
  });

  it('keeps staff read-only on people', () => {
    const a = sut.createFor(actor('store_staff'));
    expect(a.can('read', 'Customer')).toBe(true);
    expect(a.can('update', 'Customer')).toBe(false);
  });

  it('confines customers and technicians to themselves', () => {
    const c = sut.createFor(actor('customer', 'c1'));
    expect(c.can('read', subject('Customer', { id: 'c1' } as never))).toBe(true);
    expect(c.can('read', subject('Customer', { id: 'c2' } as never))).toBe(false);
    expect(c.can('read', 'Technician')).toBe(false);
    const t = sut.createFor(actor('technician', 't9'));
    expect(t.can('update', subject('Technician', { id: 't9' } as never))).toBe(true);
    expect(t.can('update', subject('Technician', { id: 'x' } as never))).toBe(false);
  });

  it('shows technician ID numbers and certificates to the owner and managers only', () => {
    const row = subject('Technician', { id: 't9' } as never);
    for (const role of ['tenant_owner', 'store_manager'] as const) {
      const a = sut.createFor(actor(role));
      expect(a.can('read', row, 'idNumber')).toBe(true);
      expect(a.can('read', 'TechnicianCertificate')).toBe(true);
      expect(a.can('approve', 'Technician')).toBe(true);
      expect(a.can('update', 'TechnicianTier')).toBe(true);
    }
    const staff = sut.createFor(actor('store_staff'));
    expect(staff.can('read', row)).toBe(true);
    expect(staff.can('read', row, 'idNumber')).toBe(false);
    expect(staff.can('read', 'TechnicianCertificate')).toBe(false);
    expect(staff.can('approve', 'Technician')).toBe(false);
    expect(staff.can('read', 'TechnicianTier')).toBe(true);
    expect(staff.can('update', 'TechnicianTier')).toBe(false);
    const self = sut.createFor(actor('technician', 't9'));
    expect(self.can('read', row, 'idNumber')).toBe(false);
    expect(self.can('update', row, 'application')).toBe(true);
    expect(self.can('update', row, 'tierId')).toBe(false);
    expect(self.can('read', subject('TechnicianCertificate', { technicianId: 't9' } as never))).toBe(true);
    expect(self.can('read', subject('TechnicianCertificate', { technicianId: 'x' } as never))).toBe(false);
  });

  it('lets anonymous callers read only public store profiles', () => {
    const a = sut.createFor(undefined);
    expect(a.can('read', 'Tenant')).toBe(true);
    expect(a.can('read', 'Customer')).toBe(false);
  });

  it('scopes sessions to their owner', () => {
    const a = sut.createFor(actor('customer', 'c1'));
    expect(a.can('delete', subject('AuthSession', { principalId: 'c1', principalType: 'customer' } as never))).toBe(
      true,
    );
    expect(a.can('delete', subject('AuthSession', { principalId: 'c2', principalType: 'customer' } as never))).toBe(
      false,
    );
  });

  describe('reuse', () => {
    it('builds one ability per principal and keeps each confined to its own rows', () => {
      const f = new AbilityFactory();
      const mine = f.createFor(actor('customer', 'c1'));
      expect(f.createFor(actor('customer', 'c1'))).toBe(mine);
      const theirs = f.createFor(actor('customer', 'c2'));
      expect(theirs).not.toBe(mine);
      expect(mine.can('read', subject('Order', { customerId: 'c1' } as never))).toBe(true);
      expect(mine.can('read', subject('Order', { customerId: 'c2' } as never))).toBe(false);
      expect(theirs.can('read', subject('Order', { customerId: 'c2' } as never))).toBe(true);
      // the same id under another role is another ability
      expect(f.createFor(actor('technician', 'c1'))).not.toBe(mine);
    });

    it('forgets the least recently used principal beyond its bound', () => {
      const f = new AbilityFactory();
      const first = f.createFor(actor('customer', 'first'));
      const kept = f.createFor(actor('customer', 'kept'));
      for (let i = 0; i < 1998; i++) f.createFor(actor('customer', `c${i}`));
      expect(f.createFor(actor('customer', 'kept'))).toBe(kept); // touched: now most recent
      f.createFor(actor('customer', 'one-more')); // evicts the oldest untouched: `first`
      expect(f.createFor(actor('customer', 'kept'))).toBe(kept);
      expect(f.createFor(actor('customer', 'first'))).not.toBe(first);
    });
  });
});
