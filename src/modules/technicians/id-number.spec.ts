import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { idNumberCheckChar, isValidIdNumber, maskIdNumber, normalizeIdNumber } from './id-number';

const today = new Date('2026-11-25T00:00:00Z');
const sut = (id: string) => isValidIdNumber(id, today);

describe('isValidIdNumber', () => {
  it('accepts the GB 11643 example numbers, including an X check character', () => {
    expect(sut('11010519491231002X')).toBe(true);
    expect(sut('11010519491231002x')).toBe(true);
    expect(sut('440524188001010014')).toBe(false); // born before 1900
    expect(sut('110101199003074477')).toBe(true);
  });

  it('rejects a wrong check character, a bad date, a future birth and the wrong shape', () => {
    expect(sut('110101199003074478')).toBe(false);
    expect(sut('110101199002304474')).toBe(false); // 30 February
    expect(sut('110101203001014471')).toBe(false);
    expect(sut('11010119900307447')).toBe(false);
    expect(sut('1101011990030744X7')).toBe(false);
    expect(sut('')).toBe(false);
  });

  it('detects every single-digit change to a valid number', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 9 }), (pos, delta) => {
        const valid = '110101199003074477';
        const changed = valid.slice(0, pos) + ((Number(valid[pos]) + delta) % 10) + valid.slice(pos + 1);
        expect(idNumberCheckChar(changed.slice(0, 17)) === changed[17]).toBe(false);
      }),
    );
  });
});

describe('maskIdNumber / normalizeIdNumber', () => {
  it('keeps only the region prefix and the last four', () => {
    expect(maskIdNumber('110101199003074477')).toBe('110***********4477');
    expect(maskIdNumber('short')).toBe('****');
  });
  it('normalizes a lower-case x and spaces', () => {
    expect(normalizeIdNumber(' 11010519491231002x ')).toBe('11010519491231002X');
  });
});
