import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fenToYuan, formatBeijing, parseBeijing, yuanToFen as sut } from './alipay-amount';

describe('yuanToFen', () => {
  it.each([
    ['0.01', 1],
    ['0.1', 10],
    ['0.29', 29], // 0.29 * 100 is 28.999999999999996 in floating point
    ['1234.50', 123450],
    ['10', 1000],
    ['10.5', 1050],
    ['0', 0],
    ['19999999.99', 1999999999],
  ])('%s → %d', (yuan, fen) => {
    expect(sut(yuan)).toBe(fen);
  });

  it.each(['1.001', '-1', '+1', '1e2', '', '.5', '5.', '01.00', '1,000.00', 'NaN', '0x10', '1 0'])(
    'rejects %j',
    (yuan) => {
      expect(sut(yuan)).toBeUndefined();
    },
  );

  it('round-trips every fen amount through fenToYuan', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 12 }), (fen) => {
        expect(sut(fenToYuan(fen))).toBe(fen);
      }),
    );
  });

  it('fenToYuan prints two decimals and refuses fractions of fen', () => {
    expect(fenToYuan(1)).toBe('0.01');
    expect(fenToYuan(123450)).toBe('1234.50');
    expect(() => fenToYuan(1.5)).toThrow(RangeError);
    expect(() => fenToYuan(-1)).toThrow(RangeError);
  });
});

describe('Beijing wall-clock times', () => {
  it('formats and parses in Asia/Shanghai whatever the process zone', () => {
    expect(formatBeijing(new Date('2026-11-25T16:30:00Z'))).toBe('2026-11-26 00:30:00');
    expect(parseBeijing('2026-11-26 00:30:00')).toEqual(new Date('2026-11-25T16:30:00Z'));
    expect(parseBeijing('2026-11-26T00:30:00')).toBeUndefined();
    expect(parseBeijing(undefined)).toBeUndefined();
  });
});
