import type { StoreProfile } from '../../generated/prisma/client';
import type { StoreProfileFieldsDto } from './dto/store-profile.dto';
import { normalizeOpeningHours, type OpeningHours } from './opening-hours';
import type { ServiceArea } from './service-area';

export type ServiceAreaColumns = Pick<StoreProfile, 'areaCenterLat' | 'areaCenterLng' | 'areaRadiusM' | 'areaPolygon'>;

/** The service area of a stored profile, in the shape `isInServiceArea` takes (booking code uses this). */
export function serviceAreaOf(p: ServiceAreaColumns | null): ServiceArea | null {
  if (!p) return null;
  if (p.areaCenterLat !== null && p.areaCenterLng !== null && p.areaRadiusM !== null) {
    return { kind: 'circle', center: { lat: p.areaCenterLat, lng: p.areaCenterLng }, radiusM: p.areaRadiusM };
  }
  if (Array.isArray(p.areaPolygon)) {
    return { kind: 'polygon', polygon: p.areaPolygon as Array<[number, number]> };
  }
  return null;
}

export function profileFields(p: StoreProfile | null, fallbackAddress: string | null): StoreProfileFieldsDto {
  const area = serviceAreaOf(p);
  return {
    address: p?.address ?? fallbackAddress,
    location: p && p.lat !== null && p.lng !== null ? { lat: p.lat, lng: p.lng } : null,
    phoneMasked: p?.phoneMasked ?? null,
    openingHours: normalizeOpeningHours(p?.openingHours as Partial<OpeningHours> | undefined),
    introduction: p?.introduction ?? null,
    photoUrls: p?.photoUrls ?? [],
    serviceArea:
      area === null
        ? null
        : area.kind === 'circle'
          ? { center: area.center, radiusM: area.radiusM }
          : { polygon: area.polygon.map(([a, b]) => [a, b] as [number, number]) },
  };
}
