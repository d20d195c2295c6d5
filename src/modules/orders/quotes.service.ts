import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import type { Quote } from '../../generated/prisma/client';
import type { Actor } from '../../platform/auth/actor';
import { outsideServiceArea } from '../store-profile/store-area.service';
import { distanceM, isInServiceArea, type LatLng } from '../store-profile/service-area';
import { serviceAreaOf } from '../store-profile/store-profile.view';
import { quote as priceQuote, QuoteError, type QuoteAddon, type QuoteLine } from '../catalog/price-quote';
import { startAtError, startProblem } from './booking-window';
import { QUOTE_ADJUSTMENT_SOURCES, type QuoteAdjustmentSource } from './quote-adjustments';
import { QuotesRepository, type NewQuote, type TechnicianPosition } from './quotes.repository';
import type { CreateQuoteDto, QuoteDto } from './dto/quote.dto';

/** How long a priced quote may be turned into an order. */
export const QUOTE_TTL_MINUTES = 15;

export const fieldError = (code: string, field: string, message: string) =>
  new BadRequestException({ code, message, fields: [{ field, messages: [message] }] });

/**
 * Prices a booking on the server with the catalog's pure price-quote and stores it. The travel
 * distance is measured from where the technician is expected to come from: a chosen technician's
 * home base, else their last known position; for "any technician" (or a technician with neither)
 * from the store's own location; with no store location either, no travel fee (distance 0,
 * origin `none`). Dispatch may later send someone farther away — the customer keeps this price.
 */
@Injectable()
export class QuotesService {
  constructor(
    private readonly repo: QuotesRepository,
    @Inject(QUOTE_ADJUSTMENT_SOURCES) private readonly adjustmentSources: readonly QuoteAdjustmentSource[],
  ) {}

  async create(actor: Actor, body: CreateQuoteDto, now = new Date()): Promise<QuoteDto> {
    const wanted = body.addons ?? [];
    const inputs = await this.repo.pricingInputs({
      customerId: actor.id,
      addressId: body.addressId,
      serviceId: body.serviceId,
      addonIds: wanted.map((a) => a.addonId),
      technicianId: body.technicianId ?? null,
    });
    // The checks keep their order (address, area, start, service, add-ons, technician).
    const address = inputs.address;
    if (!address)
      throw fieldError('ADDRESS_NOT_FOUND', 'addressId', '地址不存在 / no such address in your address book');
    const point = { lat: address.lat, lng: address.lng };
    if (!isInServiceArea(serviceAreaOf(inputs.profile), point)) throw outsideServiceArea('addressId');

    const zone = await this.repo.timezone();
    const window = {
      leadTimeMinutes: inputs.window?.leadTimeMinutes ?? 60,
      maxDaysAhead: inputs.window?.maxDaysAhead ?? 14,
    };
    const problem = startProblem(body.startAt, now, zone, window);
    if (problem) throw startAtError(problem);

    const service = inputs.service;
    if (!service) throw fieldError('SERVICE_NOT_FOUND', 'serviceId', '服务不存在或已下架 / no such active service');

    const addons = wanted.map((w, i) => {
      const row = inputs.addons.find((r) => r.id === w.addonId);
      if (!row) throw fieldError('ADDON_NOT_AVAILABLE', `addons.${i}.addonId`, '附加项不可用 / add-on not available');
      const addon: QuoteAddon = {
        id: row.id,
        serviceId: row.serviceId,
        kind: row.kind as QuoteAddon['kind'],
        name: row.nameZh,
        minutes: row.minutes,
        priceFen: row.priceFen,
        maxQuantity: row.maxQuantity,
      };
      return { addon, quantity: w.quantity };
    });

    const technician = body.technicianId ? bookableTechnician(inputs.technician) : null;
    const store =
      inputs.profile && inputs.profile.lat !== null && inputs.profile.lng !== null
        ? { lat: inputs.profile.lat, lng: inputs.profile.lng }
        : null;
    const { origin, from } = travelOrigin(technician, store);
    const distance = from ? Math.round(distanceM(from, point)) : 0;
    const rules = inputs.rules;
    const sources = await Promise.all(
      this.adjustmentSources.map((s) => s.adjustmentsFor({ customerId: actor.id, serviceId: service.id })),
    );

    let priced;
    try {
      priced = priceQuote({
        service: {
          id: service.id,
          name: service.nameZh,
          durations: service.durations,
        },
        durationMinutes: body.durationMinutes,
        addons,
        distanceMeters: distance,
        startAt: body.startAt,
        timezone: zone,
        rules: {
          freeRadiusM: rules?.freeRadiusM ?? 0,
          pricePerKmFen: rules?.pricePerKmFen ?? 0,
          night:
            rules && rules.nightStartMinute !== null && rules.nightEndMinute !== null
              ? {
                  startMinute: rules.nightStartMinute,
                  endMinute: rules.nightEndMinute,
                  surchargeFen: rules.nightSurchargeFen,
                }
              : null,
          minimumOrderFen: rules?.minimumOrderFen ?? 0,
        },
        adjustments: sources.flat(),
      });
    } catch (e) {
      if (e instanceof QuoteError) throw fieldError(e.code, e.field, e.message);
      throw e;
    }

    const row = await this.repo.create({
      customerId: actor.id,
      serviceId: service.id,
      serviceName: service.nameZh,
      durationMinutes: body.durationMinutes,
      totalMinutes: priced.totalMinutes,
      addons: wanted.map((a) => ({ addonId: a.addonId, quantity: a.quantity })),
      addressId: address.id,
      technicianId: technician?.id ?? null,
      startAt: body.startAt,
      endAt: new Date(body.startAt.getTime() + priced.totalMinutes * 60_000),
      distanceM: distance,
      distanceOrigin: origin,
      lines: priced.lines as unknown as NewQuote['lines'],
      subtotalFen: priced.subtotalFen,
      adjustmentsFen: priced.adjustmentsFen,
      totalFen: priced.totalFen,
      expiresAt: new Date(now.getTime() + QUOTE_TTL_MINUTES * 60_000),
    });
    return quoteView(row);
  }
}

function bookableTechnician(t: TechnicianPosition | null): TechnicianPosition {
  if (!t || t.status !== 'approved' || t.disabledAt !== null) {
    throw fieldError('TECHNICIAN_NOT_AVAILABLE', 'technicianId', '该技师不可预约 / this technician cannot be booked');
  }
  return t;
}

function travelOrigin(
  t: TechnicianPosition | null,
  store: LatLng | null,
): { origin: Quote['distanceOrigin']; from: LatLng | null } {
  if (t && t.homeLat !== null && t.homeLng !== null)
    return { origin: 'technician_home', from: { lat: t.homeLat, lng: t.homeLng } };
  if (t && t.lastLat !== null && t.lastLng !== null)
    return { origin: 'technician_last', from: { lat: t.lastLat, lng: t.lastLng } };
  return store ? { origin: 'store', from: store } : { origin: 'none', from: null };
}

export function quoteView(q: Quote): QuoteDto {
  return {
    id: q.id,
    serviceId: q.serviceId,
    serviceName: q.serviceName,
    durationMinutes: q.durationMinutes,
    totalMinutes: q.totalMinutes,
    addressId: q.addressId,
    technicianId: q.technicianId,
    startAt: q.startAt,
    endAt: q.endAt,
    distanceM: q.distanceM,
    distanceOrigin: q.distanceOrigin,
    lines: q.lines as unknown as QuoteLine[],
    subtotalFen: q.subtotalFen,
    adjustmentsFen: q.adjustmentsFen,
    totalFen: q.totalFen,
    expiresAt: q.expiresAt,
  };
}
