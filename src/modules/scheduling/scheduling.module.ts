import { Module } from '@nestjs/common';
import { BookingSettingsRepository } from './booking-settings.repository';
import { BookingSettingsService } from './booking-settings.service';
import { BusyTimeRepository } from './busy-time.repository';
import { BusyTimeService } from './busy-time.service';
import { SchedulingController } from './scheduling.controller';
import { ShiftsRepository } from './shifts.repository';
import { ShiftsService } from './shifts.service';

/** Shifts (排班), booking rules and technicians' busy time. Bookings use BusyTimeService. */
@Module({
  controllers: [SchedulingController],
  providers: [
    BusyTimeRepository,
    BusyTimeService,
    ShiftsRepository,
    ShiftsService,
    BookingSettingsRepository,
    BookingSettingsService,
  ],
  exports: [BusyTimeService, BusyTimeRepository, BookingSettingsRepository],
})
export class SchedulingModule {}
