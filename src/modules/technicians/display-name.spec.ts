import { describe, expect, it } from 'vitest';
import { defaultDisplayName as sut } from './display-name';

describe('defaultDisplayName', () => {
  it('keeps only the surname of a Chinese name', () => {
    expect(sut('李小芳')).toBe('李技师');
    expect(sut('欧阳娜娜')).toBe('欧阳技师');
    expect(sut('欧阳')).toBe('欧技师');
  });
  it('keeps the first word of other names, and never returns empty', () => {
    expect(sut('Anna Smith')).toBe('Anna');
    expect(sut('  ')).toBe('技师');
  });
});
