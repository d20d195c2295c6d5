import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM for sensitive file bytes (certificates) at rest, same layout as FieldCipher:
 * version(1) | iv(12) | tag(16) | ciphertext. The key is derived (HKDF) from DATA_ENCRYPTION_KEY
 * so that file blobs and fields never share a key; the AAD names the store and file, so a blob
 * copied under another store's key or row does not decrypt.
 */
export class BlobCipher {
  private readonly key: Buffer;

  constructor(base64MasterKey: string) {
    const master = Buffer.from(base64MasterKey, 'base64');
    if (master.length !== 32) throw new Error('BlobCipher needs a 32-byte master key');
    this.key = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'massage/file-blobs/v1', 32));
  }

  static aad(tenantId: string, fileId: string): string {
    return `file:${tenantId}:${fileId}`;
  }

  seal(plain: Buffer, aad: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(aad));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
  }

  open(sealed: Buffer, aad: string): Buffer {
    if (sealed[0] !== VERSION) throw new Error('unknown blob version');
    const iv = sealed.subarray(1, 1 + IV_BYTES);
    const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
  }
}
