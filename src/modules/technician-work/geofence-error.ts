import { BadRequestException } from '@nestjs/common';

/** 400 OUTSIDE_GEOFENCE naming lat/lng with the distance: the same answer for own and pool orders. */
export function outsideGeofence(distanceM: number, radiusM: number): BadRequestException {
  const message = `签到位置距服务地址 ${distanceM} 米，超出 ${radiusM} 米 / check-in is ${distanceM} m from the address (limit ${radiusM} m)`;
  return new BadRequestException({
    code: 'OUTSIDE_GEOFENCE',
    message,
    distanceM,
    radiusM,
    fields: [
      { field: 'lat', messages: [message] },
      { field: 'lng', messages: [message] },
    ],
  });
}
