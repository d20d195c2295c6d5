import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { advisoryLockKey } from './advisory-lock-key';

describe('advisoryLockKey', () => {
  it('is the first 8 bytes of the SHA-256, read as a signed 64-bit integer', () => {
    // SHA-256("abc") = ba7816bf8f01cfea… (FIPS 180-2 test vector): the high bit makes it negative
    expect(advisoryLockKey('abc')).toBe(-5010229573455851542n);
    expect(advisoryLockKey('abc')).toBe(BigInt.asIntN(64, 0xba7816bf8f01cfean));
  });

  it('is stable, in the bigint range, and renders as digits with an optional minus only', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        const key = advisoryLockKey(text);
        expect(advisoryLockKey(text)).toBe(key);
        expect(key >= -(2n ** 63n) && key < 2n ** 63n).toBe(true);
        expect(key.toString()).toMatch(/^-?\d{1,19}$/);
        const hex = createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16);
        expect(key).toBe(BigInt.asIntN(64, BigInt(`0x${hex}`)));
      }),
    );
  });
});
