import { describe, expect, it } from 'vitest';
import { statusPath } from './status-path';

describe('statusPath', () => {
  it('walks the allowed transitions', () => {
    expect(statusPath('pending', 'pending')).toEqual([]);
    expect(statusPath('pending', 'active')).toEqual(['active']);
    expect(statusPath('pending', 'suspended')).toEqual(['active', 'suspended']);
    expect(statusPath('active', 'suspended')).toEqual(['suspended']);
    expect(statusPath('suspended', 'active')).toEqual(['active']);
  });
  it('refuses going back to pending or reviving a rejected store', () => {
    expect(() => statusPath('active', 'pending')).toThrow(/active to pending/);
    expect(() => statusPath('rejected', 'active')).toThrow(/rejected to active/);
  });
});
