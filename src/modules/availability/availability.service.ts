import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { addDays } from '../scheduling/local-time';
import { expandShifts, ZoneCalendar } from '../scheduling/shift-expander';
import { isInServiceArea } from '../store-profile/service-area';
import { serviceAreaOf } from '../store-profile/store-profile.view';
import { computeAvailability, type TechnicianDay } from './availability-engine';
import type { AvailabilityQueryDto, AvailabilityView } from './dto/availability.dto';
import { AvailabilityRepository } from './availability.repository';
import type { LatLng } from './travel-eta';

const DAY_MS = 86_400_000;

/**
 * Public availability: validates the request against the catalog, the service area and the
 * booking window, loads all candidate technicians in two statements and hands them to the pure
 * engine. Runs inside the store's plain-pg tenant unit of work (TenantContext.runSql).
 */
@Injectable()
export class AvailabilityService {
  constructor(private readonly repo: AvailabilityRepository) {}

  async slots(zone: string, q: AvailabilityQueryDto, now = Date.now()): Promise<AvailabilityView> {
    const { service, rules, area, storePoint } = await this.repo.context(q.serviceId);
    if (!service) throw fieldError('serviceId', 'no such service in this store', 'UNKNOWN_SERVICE');
    if (!service.durations.includes(q.durationMinutes)) {
      throw fieldError(
        'durationMinutes',
        `this service is offered for ${service.durations.join('/')} minutes`,
        'DURATION_NOT_OFFERED',
      );
    }
    const customer: LatLng = { lat: q.lat, lng: q.lng };
    if (!isInServiceArea(serviceAreaOf(area), customer)) {
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

    // Local dates are compared as 'YYYY-MM-DD' strings; midnights come from the zone's calendar.
    const calendar = ZoneCalendar.for(zone);
    const start = calendar.instant(q.from, '00:00');
    if (start === null) throw fieldError('from', 'from is not a calendar date');
    if (calendar.instant(q.to, '00:00') === null) throw fieldError('to', 'to is not a calendar date');
    const today = calendar.local(now).date;
    const lastBookable = addDays(today, rules.maxDaysAhead);
    if (q.from < today) throw fieldError('from', `from must not be before today (${today})`);
    if (q.to < q.from) throw fieldError('to', 'to must not be before from');
    if (q.to > lastBookable) {
      throw fieldError('to', `bookings open ${rules.maxDaysAhead} days ahead: the last date is ${lastBookable}`);
    }

    const range = { start, end: calendar.instant(addDays(q.to, 1), '00:00')! };
    const technicians = await this.repo.technicians({
      requiredSkills: service.requiredSkills,
      technicianId: q.technicianId ?? null,
      fromDate: addDays(q.from, -1),
      toDate: q.to,
      // one day either side: the job before a slot (where they come from) and the one after it
      busyFrom: new Date(range.start - DAY_MS),
      busyTo: new Date(range.end + DAY_MS),
    });
    if (q.technicianId && technicians.length === 0) {
      throw new NotFoundException({ code: 'NOT_FOUND', message: 'no such technician offers this service' });
    }

    const days: TechnicianDay[] = technicians.map((t) => ({
      id: t.id,
      // a shift starts from home; without one, from where the app last saw them, else the store
      origin: t.home ?? t.last ?? storePoint,
      shifts: expandShifts({ zone, range, templates: t.templates, overrides: t.overrides, calendar }),
      busy: t.busy,
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
      from: q.from,
      to: q.to,
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
