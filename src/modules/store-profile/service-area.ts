/** A point on the map in WGS-84 degrees (what the H5 map pickers give us). */
export interface LatLng {
  lat: number;
  lng: number;
}

/** Where a store serves: a circle around a centre, or a polygon of [lat, lng] vertices. */
export type ServiceArea =
  | { kind: 'circle'; center: LatLng; radiusM: number }
  | { kind: 'polygon'; polygon: ReadonlyArray<readonly [number, number]> };

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in metres (haversine; accurate to well under 0.5 % at city scale). */
export function distanceM(a: LatLng, b: LatLng): number {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Ray casting on the lat/lng plane. At city scale (a few km) the distortion of treating degrees as
 * planar is far below address precision, and it keeps the check dependency-free and fast.
 * A point exactly on an edge counts as inside, so a customer on the boundary road is served.
 */
export function pointInPolygon(p: LatLng, polygon: ReadonlyArray<readonly [number, number]>): boolean {
  const n = polygon.length;
  if (n < 3) return false;
  let inside = false;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const [yi, xi] = polygon[i]!;
    const [yj, xj] = polygon[j]!;
    if (onSegment(p, yi, xi, yj, xj)) return true;
    const crosses = yi > p.lat !== yj > p.lat && p.lng < ((xj - xi) * (p.lat - yi)) / (yj - yi) + xi;
    if (crosses) inside = !inside;
  }
  return inside;
}

function onSegment(p: LatLng, y1: number, x1: number, y2: number, x2: number): boolean {
  const cross = (p.lng - x1) * (y2 - y1) - (p.lat - y1) * (x2 - x1);
  if (Math.abs(cross) > 1e-12) return false;
  return (
    p.lng >= Math.min(x1, x2) && p.lng <= Math.max(x1, x2) && p.lat >= Math.min(y1, y2) && p.lat <= Math.max(y1, y2)
  );
}

/** True when the store serves this address. No area configured means no restriction. */
export function isInServiceArea(area: ServiceArea | null, p: LatLng): boolean {
  if (!area) return true;
  if (area.kind === 'circle') return distanceM(area.center, p) <= area.radiusM;
  return pointInPolygon(p, area.polygon);
}
