import { BadRequestException, Injectable } from '@nestjs/common';
import { isInServiceArea, type LatLng } from './service-area';
import { serviceAreaOf } from './store-profile.view';
import { StoreProfileRepository } from './store-profile.repository';

/**
 * For booking and availability: refuses an address outside the current store's service area
 * (no area configured = no restriction). Call inside the request's tenant context.
 */
@Injectable()
export class StoreAreaService {
  constructor(private readonly repo: StoreProfileRepository) {}

  async contains(point: LatLng): Promise<boolean> {
    return isInServiceArea(serviceAreaOf(await this.repo.findProfile()), point);
  }

  /** @param field the request field that holds the address, named in the 400 (e.g. `address.location`). */
  async assertServed(point: LatLng, field = 'location'): Promise<void> {
    if (await this.contains(point)) return;
    throw outsideServiceArea(field);
  }
}

/** The 400 for an address outside the store's service area, naming the request field. */
export function outsideServiceArea(field: string): BadRequestException {
  const message = '该地址不在本店服务范围内 / this address is outside the store’s service area';
  return new BadRequestException({ code: 'OUTSIDE_SERVICE_AREA', message, fields: [{ field, messages: [message] }] });
}
