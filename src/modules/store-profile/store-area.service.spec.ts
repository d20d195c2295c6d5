import { BadRequestException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import type { StoreProfile } from '../../generated/prisma/client';
import { StoreAreaService } from './store-area.service';
import type { StoreProfileRepository } from './store-profile.repository';

const withProfile = (p: Partial<StoreProfile> | null) =>
  new StoreAreaService({ findProfile: async () => p as StoreProfile | null } as unknown as StoreProfileRepository);

describe('StoreAreaService', () => {
  it('refuses a point outside the circle with a 400 naming the field', async () => {
    const sut = withProfile({ areaCenterLat: 31.2231, areaCenterLng: 121.4462, areaRadiusM: 8000, areaPolygon: null });
    await expect(sut.assertServed({ lat: 31.2397, lng: 121.4905 })).resolves.toBeUndefined();
    const err = await sut.assertServed({ lat: 31.1443, lng: 121.8083 }, 'address.location').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestException);
    expect((err as BadRequestException).getResponse()).toMatchObject({
      code: 'OUTSIDE_SERVICE_AREA',
      fields: [{ field: 'address.location' }],
    });
  });
  it('uses the polygon when there is one', async () => {
    const sut = withProfile({
      areaCenterLat: null,
      areaCenterLng: null,
      areaRadiusM: null,
      areaPolygon: [
        [23.1, 113.3],
        [23.1, 113.4],
        [23.2, 113.4],
      ],
    });
    expect(await sut.contains({ lat: 23.12, lng: 113.38 })).toBe(true);
    expect(await sut.contains({ lat: 23.19, lng: 113.31 })).toBe(false);
  });
  it('serves everywhere when the store has no profile or no area', async () => {
    expect(await withProfile(null).contains({ lat: 0, lng: 0 })).toBe(true);
  });
});
