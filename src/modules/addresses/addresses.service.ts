import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import type { CustomerAddress } from '../../generated/prisma/client';
import type { Actor } from '../../platform/auth/actor';
import { FieldCipher, LookupHasher } from '../../platform/crypto/field-cipher';
import { maskPhone, normalizeCnMobile } from '../../platform/crypto/phone';
import { TenantContext } from '../../platform/database/tenant-context';
import { AddressesRepository, type AddressWrite } from './addresses.repository';
import type { AddressDto, CreateAddressDto, UpdateAddressDto } from './dto/address.dto';

/** One answer for "no such address" and "someone else's": the caller learns nothing. */
const notFound = () => new NotFoundException({ code: 'ADDRESS_NOT_FOUND', message: 'address not found' });

export const ADDRESS_PHONE_AAD = (tenantId: string) => `${tenantId}:customer_addresses.phone`;

/** The signed-in customer's address book (customers only; the controller's CASL check says so). */
@Injectable()
export class AddressesService {
  constructor(
    private readonly repo: AddressesRepository,
    private readonly cipher: FieldCipher,
    private readonly hasher: LookupHasher,
    private readonly tenantContext: TenantContext,
  ) {}

  async list(actor: Actor): Promise<AddressDto[]> {
    return (await this.repo.list(actor.id)).map(view);
  }

  async get(actor: Actor, id: string): Promise<AddressDto> {
    const row = await this.repo.find(actor.id, id);
    if (!row) throw notFound();
    return view(row);
  }

  async create(actor: Actor, body: CreateAddressDto): Promise<AddressDto> {
    await this.repo.lockCustomer(actor.id);
    const first = (await this.repo.count(actor.id)) === 0;
    const isDefault = first || body.isDefault === true;
    if (isDefault) await this.repo.clearDefault(actor.id);
    const { phone, isDefault: _ignored, ...rest } = body;
    const row = await this.repo.create(actor.id, { ...rest, ...this.sealPhone(phone), isDefault });
    return view(row);
  }

  async update(actor: Actor, id: string, body: UpdateAddressDto): Promise<AddressDto> {
    await this.repo.lockCustomer(actor.id);
    const existing = await this.repo.find(actor.id, id);
    if (!existing) throw notFound();
    const { phone, isDefault, ...rest } = body;
    const data: Partial<AddressWrite> = { ...rest, ...(phone !== undefined ? this.sealPhone(phone) : {}) };
    if (isDefault === true && !existing.isDefault) {
      await this.repo.clearDefault(actor.id);
      data.isDefault = true;
    } else if (isDefault === false) {
      data.isDefault = false;
    }
    return view(await this.repo.update(id, data));
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.repo.lockCustomer(actor.id);
    const existing = await this.repo.find(actor.id, id);
    if (!existing) throw notFound();
    await this.repo.softDelete(id);
  }

  private sealPhone(input: string): Pick<AddressWrite, 'phoneEnc' | 'phoneHash' | 'phoneMasked'> {
    const phone = normalizeCnMobile(input);
    if (!phone) {
      const message = '请输入有效的手机号 / enter a valid mainland mobile number';
      throw new BadRequestException({
        code: 'INVALID_PHONE',
        message,
        fields: [{ field: 'phone', messages: [message] }],
      });
    }
    return {
      phoneEnc: new Uint8Array(this.cipher.encrypt(phone, ADDRESS_PHONE_AAD(this.tenantContext.tenantId()))),
      phoneHash: new Uint8Array(this.hasher.hash('phone', phone)),
      phoneMasked: maskPhone(phone),
    };
  }
}

export function view(a: CustomerAddress): AddressDto {
  return {
    id: a.id,
    contactName: a.contactName,
    phoneMasked: a.phoneMasked,
    lat: a.lat,
    lng: a.lng,
    addressText: a.addressText,
    houseNumber: a.houseNumber,
    kind: a.kind,
    isDefault: a.isDefault,
    createdAt: a.createdAt,
  };
}
