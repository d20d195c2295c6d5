/** Great-circle distance in metres (haversine; plenty for a check-in radius of a few hundred metres). */
export function distanceMetres(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const R = 6_371_000;
  const rad = (d: number) => (d * Math.PI) / 180;
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return Math.round(2 * R * Math.asin(Math.min(1, Math.sqrt(h))));
}

/** Check-in is allowed within `radiusM` of the order address. */
export function insideGeofence(
  at: { lat: number; lng: number },
  address: { lat: number; lng: number },
  radiusM: number,
): { inside: boolean; distanceM: number } {
  const distanceM = distanceMetres(at, address);
  return { inside: distanceM <= radiusM, distanceM };
}
