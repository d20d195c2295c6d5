import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FieldCipher, LookupHasher } from './field-cipher';
import { maskPhone, normalizeCnMobile } from './phone';
import { hashPassword, verifyPassword } from './password';

const key = randomBytes(32).toString('base64');

describe('FieldCipher', () => {
  const sut = new FieldCipher(key);
  it('round-trips and never stores the plain text', () => {
    const sealed = sut.encrypt('13812341234', 'tenant-a:customers.phone');
    expect(sealed.includes(Buffer.from('13812341234'))).toBe(false);
    expect(sut.decrypt(sealed, 'tenant-a:customers.phone')).toBe('13812341234');
  });
  it('refuses a ciphertext moved to another context or tampered with', () => {
    const sealed = sut.encrypt('13812341234', 'tenant-a');
    expect(() => sut.decrypt(sealed, 'tenant-b')).toThrow();
    sealed[sealed.length - 1]! ^= 1;
    expect(() => sut.decrypt(sealed, 'tenant-a')).toThrow();
  });
  it('uses a fresh IV each time', () => {
    expect(sut.encrypt('x', 'a').equals(sut.encrypt('x', 'a'))).toBe(false);
  });
});

describe('LookupHasher', () => {
  it('is deterministic per purpose and key', () => {
    const a = new LookupHasher(key);
    expect(a.hash('phone', '138').equals(a.hash('phone', '138'))).toBe(true);
    expect(a.hash('phone', '138').equals(a.hash('email', '138'))).toBe(false);
    expect(
      new LookupHasher(randomBytes(32).toString('base64')).hash('phone', '138').equals(a.hash('phone', '138')),
    ).toBe(false);
  });
});

describe('phone', () => {
  it('normalizes mainland mobiles and rejects the rest', () => {
    expect(normalizeCnMobile('+86 138-1234-1234')).toBe('13812341234');
    expect(normalizeCnMobile('12812341234')).toBeNull();
    expect(normalizeCnMobile('1381234123')).toBeNull();
  });
  it('masks the middle four digits', () => {
    expect(maskPhone('13812341234')).toBe('138****1234');
  });
});

describe('password', () => {
  it('hashes with argon2id and verifies', async () => {
    const h = await hashPassword('correct horse battery');
    expect(h.startsWith('$argon2id$v=19$m=19456,t=2,p=1$')).toBe(true);
    expect(await verifyPassword(h, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(h, 'wrong')).toBe(false);
    expect(await verifyPassword('garbage', 'x')).toBe(false);
  });
});
