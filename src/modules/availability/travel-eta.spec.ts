import { describe, expect, it } from 'vitest';
import { etaMinutes, haversineKm } from './travel-eta';

// People's Square and the Oriental Pearl Tower, Shanghai: about 3.3 km apart as the crow flies.
const peoplesSquare = { lat: 31.2304, lng: 121.4737 };
const pearlTower = { lat: 31.2397, lng: 121.4998 };

describe('travel ETA', () => {
  it('measures great-circle distance', () => {
    expect(haversineKm(peoplesSquare, pearlTower)).toBeCloseTo(2.67, 1);
    expect(haversineKm(peoplesSquare, peoplesSquare)).toBe(0);
    // Shanghai → Beijing is about 1,067 km.
    expect(haversineKm(peoplesSquare, { lat: 39.9042, lng: 116.4074 })).toBeGreaterThan(1050);
  });

  it('applies road factor, speed and the fixed overhead, rounding up to whole minutes', () => {
    const sut = etaMinutes;
    // 2.67 km × 1.3 / 25 km/h = 8.3 min + 10 min overhead → 19 min
    expect(sut(peoplesSquare, pearlTower, { roadFactor: 1.3, speedKmh: 25, overheadMinutes: 10 })).toBe(19);
    // same place: only the overhead
    expect(sut(peoplesSquare, peoplesSquare, { roadFactor: 1.3, speedKmh: 25, overheadMinutes: 10 })).toBe(10);
    // 60 km/h over 10 km straight with factor 1 → exactly 10 min, not 11
    const tenKmNorth = { lat: peoplesSquare.lat + 10 / ((2 * Math.PI * 6371.0088) / 360), lng: peoplesSquare.lng };
    expect(sut(peoplesSquare, tenKmNorth, { roadFactor: 1, speedKmh: 60, overheadMinutes: 0 })).toBe(10);
  });
});
