import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM for personal data at rest (phone numbers, ID numbers). Layout:
 * version(1) | iv(12) | tag(16) | ciphertext. `aad` binds a value to its place (e.g. the tenant
 * and column), so a ciphertext copied to another row or store does not decrypt.
 */
export class FieldCipher {
  private readonly key: Buffer;

  constructor(base64Key: string) {
    this.key = Buffer.from(base64Key, 'base64');
    if (this.key.length !== 32) throw new Error('FieldCipher needs a 32-byte key');
  }

  encrypt(plain: string, aad: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(aad));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
  }

  decrypt(sealed: Uint8Array, aad: string): string {
    const buf = Buffer.from(sealed);
    if (buf[0] !== VERSION) throw new Error('unknown ciphertext version');
    const iv = buf.subarray(1, 1 + IV_BYTES);
    const tag = buf.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(buf.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }
}

/** Keyed hash for equality lookups on encrypted values (phone → account) without storing them. */
export class LookupHasher {
  private readonly key: Buffer;

  constructor(base64Key: string) {
    this.key = Buffer.from(base64Key, 'base64');
    if (this.key.length !== 32) throw new Error('LookupHasher needs a 32-byte key');
  }

  hash(purpose: string, value: string): Buffer {
    return createHmac('sha256', this.key).update(purpose).update('\0').update(value).digest();
  }
}
