import { describe, expect, it } from 'vitest';
import { earningFen, offerView, roundDistanceKm, roundToDistrict } from './grab-offer';

describe('grab offer view', () => {
  it('rounds the point to a district and the distance to 100 m', () => {
    expect(roundToDistrict(31.23456)).toBe(31.23);
    expect(roundToDistrict(121.4789)).toBe(121.48);
    expect(roundDistanceKm(1249)).toBe(1.2);
    expect(roundDistanceKm(1251)).toBe(1.3);
  });

  it('estimates earning from the tier rate, half the price without a tier', () => {
    expect(earningFen(19800, 6000)).toBe(11880);
    expect(earningFen(19801, null)).toBe(9900);
  });

  it('carries no customer, phone or exact address', () => {
    const sut = offerView(
      {
        orderId: 'o1',
        serviceName: '全身推拿',
        durationMinutes: 60,
        startAt: new Date('2026-12-01T02:00:00Z'),
        areaLat: 31.23,
        areaLng: 121.47,
        priceFen: 19800,
      },
      2345,
      null,
    );
    expect(Object.keys(sut).sort()).toEqual(
      ['area', 'distanceKm', 'durationMinutes', 'earningFen', 'orderId', 'priceFen', 'serviceName', 'startAt'].sort(),
    );
    expect(sut.distanceKm).toBe(2.3);
  });
});
