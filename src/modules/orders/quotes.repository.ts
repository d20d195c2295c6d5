import { Injectable } from '@nestjs/common';
import type {
  Prisma,
  Quote,
  Service,
  ServiceAddon,
  ServiceDuration,
  TravelFeeRule,
} from '../../generated/prisma/client';
import { TenantContext } from '../../platform/database/tenant-context';
import { CurrentStore } from '../../platform/tenancy/current-store';
import type { BookingWindow } from './booking-window';

export type ServiceWithDurations = Service & { durations: ServiceDuration[] };

export interface TechnicianPosition {
  id: string;
  status: string;
  disabledAt: Date | null;
  homeLat: number | null;
  homeLng: number | null;
  lastLat: number | null;
  lastLng: number | null;
}

/** Reads what a quote is priced from (catalog, travel rules, store, booking rules) and stores quotes. */
@Injectable()
export class QuotesRepository {
  constructor(
    private readonly tenantContext: TenantContext,
    private readonly currentStore: CurrentStore,
  ) {}

  private get tenantId(): string {
    return this.tenantContext.tenantId();
  }

  activeService(id: string): Promise<ServiceWithDurations | null> {
    return this.tenantContext.db().service.findFirst({
      where: { tenantId: this.tenantId, id, active: true },
      include: { durations: { orderBy: { minutes: 'asc' } } },
    });
  }

  activeAddons(ids: readonly string[]): Promise<ServiceAddon[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.tenantContext
      .db()
      .serviceAddon.findMany({ where: { tenantId: this.tenantId, id: { in: [...ids] }, active: true } });
  }

  travelRules(): Promise<TravelFeeRule | null> {
    return this.tenantContext.db().travelFeeRule.findUnique({ where: { tenantId: this.tenantId } });
  }

  async storeLocation(): Promise<{ lat: number; lng: number } | null> {
    const p = await this.tenantContext.db().storeProfile.findUnique({ where: { tenantId: this.tenantId } });
    return p && p.lat !== null && p.lng !== null ? { lat: p.lat, lng: p.lng } : null;
  }

  async timezone(): Promise<string> {
    return (await this.currentStore.info()).timezone;
  }

  /** Scheduling's booking rules (`booking_settings`); a store without a row uses the column defaults. */
  async bookingWindow(): Promise<BookingWindow> {
    const rows = await this.tenantContext.db().$queryRaw<Array<{ lead: number; days: number }>>`
      SELECT lead_time_minutes AS lead, max_days_ahead AS days FROM booking_settings`;
    return { leadTimeMinutes: rows[0]?.lead ?? 60, maxDaysAhead: rows[0]?.days ?? 14 };
  }

  technician(id: string): Promise<TechnicianPosition | null> {
    return this.tenantContext.db().technician.findFirst({
      where: { tenantId: this.tenantId, id },
      select: { id: true, status: true, disabledAt: true, homeLat: true, homeLng: true, lastLat: true, lastLng: true },
    });
  }

  create(data: Omit<Prisma.QuoteUncheckedCreateInput, 'tenantId'>): Promise<Quote> {
    return this.tenantContext.db().quote.create({ data: { ...data, tenantId: this.tenantId } });
  }

  find(where: Prisma.QuoteWhereInput, id: string): Promise<Quote | null> {
    return this.tenantContext.db().quote.findFirst({ where: { AND: [{ tenantId: this.tenantId, id }, where] } });
  }
}
