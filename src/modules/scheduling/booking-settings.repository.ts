import { Injectable } from '@nestjs/common';
import { TenantContext } from '../../platform/database/tenant-context';
import type { BookingSettingsView, UpdateBookingSettingsDto } from './dto/booking-settings.dto';

/** The column defaults of booking_settings: what a store that never saved its rules gets. */
export const DEFAULT_BOOKING_SETTINGS: Readonly<BookingSettingsView> = Object.freeze({
  slotGridMinutes: 30,
  leadTimeMinutes: 60,
  maxDaysAhead: 14,
  bufferMinutes: 15,
  etaRoadFactor: 1.3,
  etaSpeedKmh: 25,
  etaOverheadMinutes: 10,
});

@Injectable()
export class BookingSettingsRepository {
  constructor(private readonly tenantContext: TenantContext) {}

  async find(): Promise<BookingSettingsView> {
    const row = await this.tenantContext.db().bookingSettings.findUnique({
      where: { tenantId: this.tenantContext.tenantId() },
    });
    return row ? pick(row) : { ...DEFAULT_BOOKING_SETTINGS };
  }

  async save(changes: UpdateBookingSettingsDto): Promise<BookingSettingsView> {
    const tenantId = this.tenantContext.tenantId();
    const row = await this.tenantContext.db().bookingSettings.upsert({
      where: { tenantId },
      create: { tenantId, ...changes },
      update: changes,
    });
    return pick(row);
  }
}

function pick(row: BookingSettingsView): BookingSettingsView {
  return {
    slotGridMinutes: row.slotGridMinutes,
    leadTimeMinutes: row.leadTimeMinutes,
    maxDaysAhead: row.maxDaysAhead,
    bufferMinutes: row.bufferMinutes,
    etaRoadFactor: row.etaRoadFactor,
    etaSpeedKmh: row.etaSpeedKmh,
    etaOverheadMinutes: row.etaOverheadMinutes,
  };
}
