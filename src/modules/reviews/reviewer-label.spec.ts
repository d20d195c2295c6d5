import { describe, expect, it } from 'vitest';
import { reviewerLabel as sut } from './reviewer-label';

describe('reviewerLabel', () => {
  it('hides anonymous reviewers entirely', () => {
    expect(sut('王小明', true)).toBe('匿名用户');
  });

  it('masks nicknames of every length, never showing the whole name', () => {
    expect(sut('王', false)).toBe('王**');
    expect(sut('王芳', false)).toBe('王**');
    expect(sut('张小丽', false)).toBe('张*丽');
    expect(sut('Jennifer', false)).toBe('J***r');
    for (const name of ['王', '王芳', '张小丽', 'Jennifer', '13812345678']) expect(sut(name, false)).not.toBe(name);
    expect(sut('13812345678', false)).not.toContain('1234');
  });

  it('falls back to 顾客 without a nickname', () => {
    expect(sut(null, false)).toBe('顾客');
    expect(sut('  ', false)).toBe('顾客');
  });
});
