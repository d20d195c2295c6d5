import { UnrecoverableError } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { tenantOfJob as sut } from './job-tenant';

const id = '6f1c2a8e-3b7d-4c59-9a0e-2d4f6b8a1c3e';

describe('tenantOfJob', () => {
  it('returns the tenant of a tenant job', () => {
    expect(sut('tenant', 'x', { tenantId: id })).toBe(id);
  });
  it.each([undefined, null, 'str', {}, { tenantId: '' }, { tenantId: 'not-a-uuid' }, { tenantId: 42 }])(
    'refuses a tenant job without a valid tenantId (%j) for good',
    (payload) => {
      expect(() => sut('tenant', 'x', payload)).toThrow(UnrecoverableError);
    },
  );
  it('gives platform jobs no tenant', () => {
    expect(sut('platform', 'x', { tenantId: id })).toBeNull();
  });
});
