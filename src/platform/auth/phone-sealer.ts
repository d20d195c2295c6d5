import { Injectable } from '@nestjs/common';
import { FieldCipher, LookupHasher } from '../crypto/field-cipher';
import { maskPhone } from '../crypto/phone';

export interface SealedPhone {
  phoneEnc: Uint8Array<ArrayBuffer>;
  phoneHash: Uint8Array<ArrayBuffer>;
  phoneMasked: string;
}

/**
 * How a phone number is kept: AES-GCM ciphertext bound to the store and table (a copied value
 * does not decrypt elsewhere), an HMAC for lookups, and the masked form for display.
 */
@Injectable()
export class PhoneSealer {
  constructor(
    private readonly cipher: FieldCipher,
    private readonly hasher: LookupHasher,
  ) {}

  seal(tenantId: string, table: 'customers' | 'technicians', phone: string): SealedPhone {
    return {
      phoneEnc: new Uint8Array(this.cipher.encrypt(phone, aad(tenantId, table))),
      phoneHash: this.hash(phone),
      phoneMasked: maskPhone(phone),
    };
  }

  hash(phone: string): Uint8Array<ArrayBuffer> {
    return new Uint8Array(this.hasher.hash('phone', phone));
  }
}

export const aad = (tenantId: string, table: string) => `${tenantId}:${table}.phone`;
