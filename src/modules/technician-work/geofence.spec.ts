import { describe, expect, it } from 'vitest';
import { distanceMetres, insideGeofence as sut } from './geofence';

describe('insideGeofence', () => {
  const address = { lat: 31.2304, lng: 121.4737 };
  it('accepts a check-in at the door', () => {
    expect(sut(address, address, 300)).toEqual({ inside: true, distanceM: 0 });
  });
  it('refuses one 1 km north and reports the distance', () => {
    const r = sut({ lat: address.lat + 0.009, lng: address.lng }, address, 300);
    expect(r.inside).toBe(false);
    expect(r.distanceM).toBeGreaterThan(990);
    expect(r.distanceM).toBeLessThan(1010);
  });
  it('measures symmetric distances', () => {
    const b = { lat: 31.24, lng: 121.48 };
    expect(distanceMetres(address, b)).toBe(distanceMetres(b, address));
  });
});
