import type { ServiceAddon, ServiceCategory, TravelFeeRule } from '../../generated/prisma/client';
import type { ServiceWithOptions } from './catalog.repository';

/** Row → API shape: no tenant ids, minutes of day shown as HH:MM. */
export const categoryView = (c: ServiceCategory) => ({
  id: c.id,
  nameZh: c.nameZh,
  nameEn: c.nameEn,
  icon: c.icon,
  sortOrder: c.sortOrder,
  active: c.active,
});

export const addonView = (a: ServiceAddon) => ({
  id: a.id,
  serviceId: a.serviceId,
  kind: a.kind as 'extension' | 'material',
  nameZh: a.nameZh,
  nameEn: a.nameEn,
  minutes: a.minutes,
  priceFen: a.priceFen,
  maxQuantity: a.maxQuantity,
  active: a.active,
  sortOrder: a.sortOrder,
});

export const serviceView = (s: ServiceWithOptions) => ({
  id: s.id,
  categoryId: s.categoryId,
  nameZh: s.nameZh,
  nameEn: s.nameEn,
  description: s.description,
  images: s.images,
  requiredSkills: s.requiredSkills,
  active: s.active,
  sortOrder: s.sortOrder,
  durations: s.durations.map((d) => ({ minutes: d.minutes, priceFen: d.priceFen })),
  addons: s.addons.map(addonView),
});

export const hhmm = (minute: number | null): string | null =>
  minute === null
    ? null
    : `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

export const minuteOfDay = (value: string): number => {
  const [h, m] = value.split(':').map(Number);
  return h! * 60 + m!;
};

export const DEFAULT_TRAVEL_FEE = {
  freeRadiusM: 0,
  pricePerKmFen: 0,
  nightStart: null,
  nightEnd: null,
  nightSurchargeFen: 0,
  minimumOrderFen: 0,
};

export const travelFeeView = (r: TravelFeeRule | null) =>
  r
    ? {
        freeRadiusM: r.freeRadiusM,
        pricePerKmFen: r.pricePerKmFen,
        nightStart: hhmm(r.nightStartMinute),
        nightEnd: hhmm(r.nightEndMinute),
        nightSurchargeFen: r.nightSurchargeFen,
        minimumOrderFen: r.minimumOrderFen,
      }
    : DEFAULT_TRAVEL_FEE;
