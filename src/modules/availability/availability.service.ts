import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { DateTime } from 'luxon';
import { BookingSettingsRepository } from '../scheduling/booking-settings.repository';
import { expandShifts, ZoneCalendar } from '../scheduling/shift-expander';
import { isInServiceArea } from '../store-profile/service-area';
import { StoreProfileRepository } from '../store-profile/store-profile.repository';
import { serviceAreaOf } from '../store-profile/store-profile.view';
import { computeAvailability, type TechnicianDay } from './availability-engine';
import type { AvailabilityQueryDto, AvailabilityView } from './dto/availability.dto';
import { AvailabilityRepository } from './availability.repository';
import type { LatLng } from './travel-eta';

const DAY_MS = 86_400_000;

/**
 * Public availability: validates the request against the catalog, the service area and the
 * booking window, loads all candidate technicians in a couple of statements and hands them to
 * the pure engine. Runs inside the store's tenant context.
 */
@Injectable()
export class AvailabilityService {
  constructor(
    private readonly repo: AvailabilityRepository,
    private readonly settings: BookingSettingsRepository,
    private readonly profiles: StoreProfileRepository,
  ) {}

  async slots(zone: string, q: AvailabilityQueryDto, now = Date.now()): Promise<AvailabilityView> {
    const [rules, service, profile] = await Promise.all([
      this.settings.find(),
      this.repo.service(q.serviceId),
      this.profiles.findProfile(),
    ]);
    if (!service) throw fieldError('serviceId', 'no such service in this store', 'UNKNOWN_SERVICE');
    if (!service.durations.includes(q.durationMinutes)) {
      throw fieldError(
        'durationMinutes',
        `this service is offered for ${service.durations.join('/')} minutes`,
        'DURATION_NOT_OFFERED',
      );
    }
    const customer: LatLng = { lat: q.lat, lng: q.lng };
    if (!isInServiceArea(serviceAreaOf(profile), customer)) {
      const message = '该地址不在本店服务范围内 / this address is outside the store’s service area';
      throw new BadRequestException({
        code: 'OUTSIDE_SERVICE_AREA',
        message,
        fields: [
          { field: 'lat', messages: [message] },
          { field: 'lng', messages: [message] },
        ],
      });
    }

    const from = DateTime.fromISO(q.from, { zone });
    const to = DateTime.fromISO(q.to, { zone });
    if (!from.isValid) throw fieldError('from', 'from is not a calendar date');
    if (!to.isValid) throw fieldError('to', 'to is not a calendar date');
    const today = DateTime.fromMillis(now, { zone }).startOf('day');
    const lastBookable = today.plus({ days: rules.maxDaysAhead });
    if (from < today) throw fieldError('from', `from must not be before today (${today.toISODate()})`);
    if (to < from) throw fieldError('to', 'to must not be before from');
    if (to > lastBookable) {
      throw fieldError(
        'to',
        `bookings open ${rules.maxDaysAhead} days ahead: the last date is ${lastBookable.toISODate()}`,
      );
    }

    const range = { start: from.toMillis(), end: to.plus({ days: 1 }).toMillis() };
    const technicians = await this.repo.technicians({
      requiredSkills: service.requiredSkills,
      technicianId: q.technicianId ?? null,
      fromDate: from.minus({ days: 1 }).toISODate()!,
      toDate: to.toISODate()!,
      // one day either side: the job before a slot (where they come from) and the one after it
      busyFrom: new Date(range.start - DAY_MS),
      busyTo: new Date(range.end + DAY_MS),
    });
    if (q.technicianId && technicians.length === 0) {
      throw new NotFoundException({ code: 'NOT_FOUND', message: 'no such technician offers this service' });
    }

    const storePoint = profile?.lat != null && profile.lng != null ? { lat: profile.lat, lng: profile.lng } : null;
    const calendar = ZoneCalendar.for(zone);
    const days: TechnicianDay[] = technicians.map((t) => ({
      id: t.id,
      // a shift starts from home; without one, from where the app last saw them, else the store
      origin: t.home ?? t.last ?? storePoint,
      shifts: expandShifts({ zone, range, templates: t.templates, overrides: t.overrides, calendar }),
      busy: t.busy.map((b) => ({
        start: b.start,
        end: b.end,
        location: b.lat !== null && b.lng !== null ? { lat: b.lat, lng: b.lng } : null,
      })),
    }));
    const slots = computeAvailability({
      zone,
      now,
      from: range.start,
      to: range.end,
      durationMinutes: q.durationMinutes,
      customer,
      rules: {
        gridMinutes: rules.slotGridMinutes,
        leadTimeMinutes: rules.leadTimeMinutes,
        maxDaysAhead: rules.maxDaysAhead,
        bufferMinutes: rules.bufferMinutes,
        eta: {
          roadFactor: rules.etaRoadFactor,
          speedKmh: rules.etaSpeedKmh,
          overheadMinutes: rules.etaOverheadMinutes,
        },
      },
      technicians: days,
    });

    const durationMs = q.durationMinutes * 60_000;
    const technicianIds = [...new Set(slots.flatMap((s) => s.technicianIds))].sort();
    const position = new Map(technicianIds.map((id, i) => [id, i]));
    return {
      zone,
      serviceId: q.serviceId,
      durationMinutes: q.durationMinutes,
      from: from.toISODate()!,
      to: to.toISODate()!,
      technicianId: q.technicianId ?? null,
      technicianIds,
      slots: slots.map((s) => {
        const local = calendar.local(s.start);
        return {
          start: new Date(s.start).toISOString(),
          end: new Date(s.start + durationMs).toISOString(),
          localDate: local.date,
          localTime: local.time,
          technicians: s.technicianIds.map((id) => position.get(id)!),
        };
      }),
    };
  }
}

function fieldError(field: string, message: string, code = 'VALIDATION_FAILED'): BadRequestException {
  return new BadRequestException({ code, message, fields: [{ field, messages: [message] }] });
}
