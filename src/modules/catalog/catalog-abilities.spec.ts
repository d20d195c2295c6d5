import { subject } from '@casl/ability';
import { describe, expect, it } from 'vitest';
import type { Actor, Role } from '../../platform/auth/actor';
import { AbilityFactory } from '../../platform/authz/ability.factory';

const actor = (role: Role, id = 'u1'): Actor => ({
  id,
  role,
  kind: role === 'customer' || role === 'technician' ? role : 'staff',
  tenantId: 't1',
  sessionId: 's1',
});
const inactive = subject('Service', { active: false } as never);
const active = subject('Service', { active: true } as never);

describe('catalog and file abilities', () => {
  const sut = new AbilityFactory();

  it('lets owners and managers manage the catalog, staff only read it', () => {
    for (const role of ['tenant_owner', 'store_manager'] as const) {
      const a = sut.createFor(actor(role));
      for (const s of ['ServiceCategory', 'Service', 'ServiceAddon', 'TravelFeeRule'] as const) {
        expect(a.can('create', s) && a.can('update', s), `${role} ${s}`).toBe(true);
      }
    }
    const staff = sut.createFor(actor('store_staff'));
    expect(staff.can('read', inactive)).toBe(true);
    expect(staff.can('create', 'Service')).toBe(false);
    expect(staff.can('update', 'TravelFeeRule')).toBe(false);
  });

  it('shows customers, technicians and anonymous callers only the active catalog', () => {
    for (const a of [sut.createFor(actor('customer')), sut.createFor(actor('technician')), sut.createFor(undefined)]) {
      expect(a.can('read', active)).toBe(true);
      expect(a.can('read', inactive)).toBe(false);
      expect(a.can('create', 'Service')).toBe(false);
    }
  });

  it('keeps sensitive files to managers, the owner and the uploader; customers upload images only', () => {
    const cert = (by: string, type = 'technician') =>
      subject('StoredFile', { sensitive: true, uploadedBy: by, uploaderType: type } as never);
    expect(sut.createFor(actor('store_manager')).can('read', cert('x'))).toBe(true);
    expect(sut.createFor(actor('tenant_owner')).can('read', cert('x'))).toBe(true);
    expect(sut.createFor(actor('technician', 'x')).can('read', cert('x'))).toBe(true);
    expect(sut.createFor(actor('technician', 'y')).can('read', cert('x'))).toBe(false);
    expect(sut.createFor(actor('store_staff')).can('read', cert('x'))).toBe(false);
    expect(sut.createFor(undefined).can('read', cert('x'))).toBe(false);
    // same id, other kind of principal: not the uploader
    expect(sut.createFor(actor('customer', 'x')).can('read', cert('x'))).toBe(false);
    const c = sut.createFor(actor('customer'));
    expect(c.can('create', subject('StoredFile', { kind: 'image' } as never))).toBe(true);
    expect(c.can('create', subject('StoredFile', { kind: 'certificate' } as never))).toBe(false);
    expect(sut.createFor(undefined).can('create', 'StoredFile')).toBe(false);
  });
});
