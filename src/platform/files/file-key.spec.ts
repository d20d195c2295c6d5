import { describe, expect, it } from 'vitest';
import { assertKeyOfTenant, buildFileKey, parseFileKey } from './file-key';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const F = '33333333-3333-4333-8333-333333333333';

describe('file keys', () => {
  it('lead with the store and sort by kind and month (UTC)', () => {
    const sut = buildFileKey(A, 'certificate', 'pdf', new Date('2026-01-31T20:00:00Z'), F);
    expect(sut).toBe(`tenants/${A}/certificate/2026/01/${F}.pdf`);
    expect(parseFileKey(sut)).toEqual({ tenantId: A, kind: 'certificate', fileId: F });
  });

  it('refuse a key of another store', () => {
    const key = buildFileKey(A, 'image', 'png', new Date(), F);
    expect(() => assertKeyOfTenant(key, A)).not.toThrow();
    expect(() => assertKeyOfTenant(key, B)).toThrow(/another|belong/);
  });

  it('reject anything that is not exactly the key shape', () => {
    for (const bad of [
      `tenants/${A}/image/2026/01/../../${B}/image/2026/01/${F}.png`,
      `tenants/${A}/image/2026/01/${F}.exe`,
      `/etc/passwd`,
      `tenants/${A}/other/2026/01/${F}.png`,
    ]) {
      expect(parseFileKey(bad)).toBeNull();
      expect(() => assertKeyOfTenant(bad, A)).toThrow();
    }
    expect(() => buildFileKey('not-a-uuid', 'image', 'png', new Date())).toThrow();
    expect(() => buildFileKey(A, 'image', 'exe', new Date())).toThrow();
  });
});
