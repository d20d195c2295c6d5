import { Injectable } from '@nestjs/common';
import { FieldCipher, LookupHasher } from '../../platform/crypto/field-cipher';
import { maskPhone, normalizeCnMobile } from '../../platform/crypto/phone';
import { maskIdNumber, normalizeIdNumber } from './id-number';

export interface SealedIdNumber {
  idNumberEnc: Uint8Array<ArrayBuffer>;
  idNumberHash: Uint8Array<ArrayBuffer>;
  idNumberMasked: string;
}

export interface SealedPhone {
  phoneEnc: Uint8Array<ArrayBuffer>;
  phoneHash: Uint8Array<ArrayBuffer>;
  phoneMasked: string;
}

const bytes = (b: Buffer): Uint8Array<ArrayBuffer> => new Uint8Array(b);

/**
 * Seals a technician's personal numbers. The ID number's AAD names the store and the technician,
 * so a ciphertext copied to another row or store does not open; the lookup hash is per store
 * (tenant id in the hashed value) so a duplicate is refused within one store only.
 */
@Injectable()
export class TechnicianPii {
  constructor(
    private readonly cipher: FieldCipher,
    private readonly hasher: LookupHasher,
  ) {}

  private static idAad(tenantId: string, technicianId: string): string {
    return `${tenantId}:technicians.id_number:${technicianId}`;
  }

  sealIdNumber(tenantId: string, technicianId: string, input: string): SealedIdNumber {
    const id = normalizeIdNumber(input);
    return {
      idNumberEnc: bytes(this.cipher.encrypt(id, TechnicianPii.idAad(tenantId, technicianId))),
      idNumberHash: bytes(this.hasher.hash('id-number', `${tenantId}:${id}`)),
      idNumberMasked: maskIdNumber(id),
    };
  }

  openIdNumber(tenantId: string, technicianId: string, sealed: Uint8Array): string {
    return this.cipher.decrypt(sealed, TechnicianPii.idAad(tenantId, technicianId));
  }

  openPhone(tenantId: string, sealed: Uint8Array): string {
    return this.cipher.decrypt(sealed, `${tenantId}:technicians.phone`);
  }

  /** Same hash purpose as the SMS sign-in lookup, so the technician can sign in with this phone. */
  sealPhone(tenantId: string, input: string): SealedPhone | null {
    const phone = normalizeCnMobile(input);
    if (!phone) return null;
    return {
      phoneEnc: bytes(this.cipher.encrypt(phone, `${tenantId}:technicians.phone`)),
      phoneHash: bytes(this.hasher.hash('phone', phone)),
      phoneMasked: maskPhone(phone),
    };
  }
}
