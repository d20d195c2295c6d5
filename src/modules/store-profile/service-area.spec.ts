import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distanceM, isInServiceArea, pointInPolygon, type ServiceArea } from './service-area';

const jingan = { lat: 31.2231, lng: 121.4462 };

describe('distanceM', () => {
  it('matches known city distances', () => {
    // 静安寺 → 外滩 (about 5.1 km), 上海 → 北京 (about 1,068 km)
    expect(distanceM(jingan, { lat: 31.2397, lng: 121.4905 })).toBeGreaterThan(4_500);
    expect(distanceM(jingan, { lat: 31.2397, lng: 121.4905 })).toBeLessThan(5_000);
    expect(distanceM(jingan, { lat: 39.9042, lng: 116.4074 }) / 1000).toBeCloseTo(1_068, -1);
  });
  it('is symmetric and zero for the same point', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -80, max: 80, noNaN: true }),
        fc.double({ min: -179, max: 179, noNaN: true }),
        fc.double({ min: -80, max: 80, noNaN: true }),
        fc.double({ min: -179, max: 179, noNaN: true }),
        (a, b, c, d) => {
          const p = { lat: a, lng: b };
          const q = { lat: c, lng: d };
          expect(distanceM(p, p)).toBe(0);
          expect(Math.abs(distanceM(p, q) - distanceM(q, p))).toBeLessThan(1e-6);
        },
      ),
    );
  });
});

describe('isInServiceArea (circle)', () => {
  const sut: ServiceArea = { kind: 'circle', center: jingan, radiusM: 8_000 };
  it('accepts a point inside and refuses one outside the radius', () => {
    expect(isInServiceArea(sut, { lat: 31.2397, lng: 121.4905 })).toBe(true); // 外滩, ~4.5 km
    expect(isInServiceArea(sut, { lat: 31.1443, lng: 121.8083 })).toBe(false); // 浦东机场, ~35 km
  });
  it('treats the boundary consistently with the distance', () => {
    // 0.07° of latitude ≈ 7.8 km, 0.075° ≈ 8.3 km
    expect(isInServiceArea(sut, { lat: jingan.lat + 0.07, lng: jingan.lng })).toBe(true);
    expect(isInServiceArea(sut, { lat: jingan.lat + 0.075, lng: jingan.lng })).toBe(false);
  });
  it('no area means no restriction', () => {
    expect(isInServiceArea(null, { lat: 0, lng: 0 })).toBe(true);
  });
});

describe('pointInPolygon', () => {
  const square: Array<[number, number]> = [
    [23.1, 113.3],
    [23.1, 113.4],
    [23.2, 113.4],
    [23.2, 113.3],
  ];
  it('accepts inside points, refuses outside ones', () => {
    expect(pointInPolygon({ lat: 23.15, lng: 113.35 }, square)).toBe(true);
    expect(pointInPolygon({ lat: 23.25, lng: 113.35 }, square)).toBe(false);
    expect(pointInPolygon({ lat: 23.15, lng: 113.29 }, square)).toBe(false);
  });
  it('counts a point on an edge or vertex as inside', () => {
    expect(pointInPolygon({ lat: 23.1, lng: 113.35 }, square)).toBe(true);
    expect(pointInPolygon({ lat: 23.2, lng: 113.4 }, square)).toBe(true);
  });
  it('handles a concave polygon (the notch is outside)', () => {
    const u: Array<[number, number]> = [
      [0, 0],
      [0, 3],
      [3, 3],
      [3, 2],
      [1, 2],
      [1, 1],
      [3, 1],
      [3, 0],
    ];
    expect(pointInPolygon({ lat: 2, lng: 1.5 }, u)).toBe(false);
    expect(pointInPolygon({ lat: 0.5, lng: 1.5 }, u)).toBe(true);
    expect(pointInPolygon({ lat: 2.5, lng: 2.5 }, u)).toBe(true);
  });
  it('refuses degenerate polygons', () => {
    expect(
      pointInPolygon({ lat: 0, lng: 0 }, [
        [0, 0],
        [1, 1],
      ]),
    ).toBe(false);
  });
  it('agrees with an axis-aligned box for random points', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 23, max: 23.3, noNaN: true }),
        fc.double({ min: 113.2, max: 113.5, noNaN: true }),
        (lat, lng) => {
          const inBox = lat >= 23.1 && lat <= 23.2 && lng >= 113.3 && lng <= 113.4;
          expect(pointInPolygon({ lat, lng }, square)).toBe(inBox);
        },
      ),
    );
  });
});
