/**
 * What a technician may learn of an order before holding it (pure). Never the customer, their
 * phone or the exact address: the point is rounded to 0.01° (~1 km, a district) and the distance
 * to 100 m, so it cannot be triangulated to a door.
 */
export interface GrabOfferView {
  orderId: string;
  serviceName: string;
  durationMinutes: number;
  startAt: string;
  area: { lat: number; lng: number };
  distanceKm: number;
  priceFen: number;
  earningFen: number;
}

export interface ListingFacts {
  orderId: string;
  serviceName: string;
  durationMinutes: number;
  startAt: Date;
  areaLat: number;
  areaLng: number;
  priceFen: number;
}

/** Store default when the technician has no tier: half the price. */
export const DEFAULT_COMMISSION_BPS = 5000;

export function roundToDistrict(deg: number): number {
  return Math.round(deg * 100) / 100;
}

export function roundDistanceKm(meters: number): number {
  return Math.round(meters / 100) / 10;
}

export function earningFen(priceFen: number, commissionBps: number | null | undefined): number {
  return Math.floor((priceFen * (commissionBps ?? DEFAULT_COMMISSION_BPS)) / 10_000);
}

export function offerView(l: ListingFacts, distanceM: number, commissionBps: number | null): GrabOfferView {
  return {
    orderId: l.orderId,
    serviceName: l.serviceName,
    durationMinutes: l.durationMinutes,
    startAt: l.startAt.toISOString(),
    area: { lat: l.areaLat, lng: l.areaLng },
    distanceKm: roundDistanceKm(distanceM),
    priceFen: l.priceFen,
    earningFen: earningFen(l.priceFen, commissionBps),
  };
}
