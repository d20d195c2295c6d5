import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BlobCipher } from './blob-cipher';

describe('BlobCipher', () => {
  const sut = new BlobCipher(randomBytes(32).toString('base64'));
  const plain = Buffer.from('%PDF-1.4 certificate bytes');

  it('round-trips and hides the plaintext', () => {
    const sealed = sut.seal(plain, 'file:a:1');
    expect(sealed.includes(plain)).toBe(false);
    expect(sut.open(sealed, 'file:a:1')).toEqual(plain);
  });

  it('refuses another AAD (store/file) and tampered bytes', () => {
    const sealed = sut.seal(plain, 'file:a:1');
    expect(() => sut.open(sealed, 'file:b:1')).toThrow();
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1]! ^= 1;
    expect(() => sut.open(tampered, 'file:a:1')).toThrow();
  });
});
