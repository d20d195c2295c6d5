import { describe, expect, it } from 'vitest';
import { defaultPrefix, formatOrderNumber as sut, localDateOf } from './order-number';

describe('order numbers', () => {
  it('joins prefix, local date and a four-digit sequence', () => {
    expect(sut('JA', '2026-11-25', 42)).toBe('JA20261125-0042');
    expect(sut('JA', '2026-11-25', 12345)).toBe('JA20261125-12345');
  });
  it('uses the store-local date (Shanghai is UTC+8)', () => {
    expect(localDateOf(new Date('2026-11-25T16:30:00Z'), 'Asia/Shanghai')).toBe('2026-11-26');
    expect(localDateOf(new Date('2026-11-25T15:59:00Z'), 'Asia/Shanghai')).toBe('2026-11-25');
  });
  it('derives a two-letter prefix from the slug', () => {
    expect(defaultPrefix('jade-spa')).toBe('JA');
    expect(defaultPrefix('x1')).toBe('XX');
  });
});
