/** A point on the map (WGS-84 degrees). */
export interface LatLng {
  lat: number;
  lng: number;
}

/** How a store estimates travel time; all three are per-store booking settings. */
export interface EtaParams {
  /** Straight-line distance × this = road distance (streets are not straight), e.g. 1.3. */
  roadFactor: number;
  /** Average door-to-door speed in km/h across the city, e.g. 25. */
  speedKmh: number;
  /** Fixed minutes added to every trip: parking, lifts, finding the door. */
  overheadMinutes: number;
}

const EARTH_RADIUS_KM = 6371.0088;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in kilometres. */
export function haversineKm(a: LatLng, b: LatLng): number {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Travel time in whole minutes, rounded up: a slot is promised to the customer, so we never
 * round an estimate in the technician's disfavour.
 */
export function etaMinutes(from: LatLng, to: LatLng, p: EtaParams): number {
  const driving = ((haversineKm(from, to) * p.roadFactor) / p.speedKmh) * 60;
  // The epsilon keeps float noise (10.0000000001) from costing a whole minute.
  return Math.ceil(driving + p.overheadMinutes - 1e-6);
}

export const MINUTE_MS = 60_000;
