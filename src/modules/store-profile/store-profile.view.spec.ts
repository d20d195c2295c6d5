import { describe, expect, it } from 'vitest';
import type { StoreProfile } from '../../generated/prisma/client';
import { closedNotice } from './store-notice';
import { isInServiceArea } from './service-area';
import { profileFields, serviceAreaOf } from './store-profile.view';

const row = (over: Partial<StoreProfile>): StoreProfile => ({
  tenantId: '00000000-0000-4000-8000-000000000001',
  address: null,
  lat: null,
  lng: null,
  phoneEnc: null,
  phoneMasked: null,
  openingHours: {},
  introduction: null,
  photoUrls: [],
  areaCenterLat: null,
  areaCenterLng: null,
  areaRadiusM: null,
  areaPolygon: null,
  createdAt: new Date(0),
  updatedAt: new Date(0),
  ...over,
});

describe('serviceAreaOf', () => {
  it('reads a circle, a polygon, or no restriction', () => {
    const circle = serviceAreaOf(row({ areaCenterLat: 31.2, areaCenterLng: 121.4, areaRadiusM: 5000 }));
    expect(circle).toEqual({ kind: 'circle', center: { lat: 31.2, lng: 121.4 }, radiusM: 5000 });
    expect(isInServiceArea(circle, { lat: 31.21, lng: 121.41 })).toBe(true);
    const poly = serviceAreaOf(
      row({
        areaPolygon: [
          [0, 0],
          [0, 1],
          [1, 1],
        ],
      }),
    );
    expect(poly).toMatchObject({ kind: 'polygon' });
    expect(serviceAreaOf(row({}))).toBeNull();
    expect(serviceAreaOf(null)).toBeNull();
  });
});

describe('profileFields', () => {
  it('fills every weekday and falls back to the directory address', () => {
    const sut = profileFields(row({ openingHours: { mon: [{ open: '10:00', close: '22:00' }] } }), '上海市');
    expect(sut.address).toBe('上海市');
    expect(Object.keys(sut.openingHours)).toEqual(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
    expect(sut.openingHours.mon).toEqual([{ open: '10:00', close: '22:00' }]);
    expect(sut.openingHours.sun).toEqual([]);
  });
});

describe('closedNotice', () => {
  it('is absent for an active store and bilingual otherwise', () => {
    expect(closedNotice('active')).toBeUndefined();
    for (const s of ['pending', 'suspended', 'rejected']) {
      expect(closedNotice(s)).toEqual({ 'zh-CN': expect.any(String), en: expect.any(String) });
    }
  });
});
