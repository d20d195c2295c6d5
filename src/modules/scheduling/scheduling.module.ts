import { Module } from '@nestjs/common';
import { BookingSettingsRepository } from './booking-settings.repository';
import { BookingSettingsService } from './booking-settings.service';
import { BusyBlocksController } from './busy-blocks.controller';
import { BusyBlocksService } from './busy-blocks.service';
import { BusyTimeRepository } from './busy-time.repository';
import { BusyTimeService } from './busy-time.service';
import { SchedulingController } from './scheduling.controller';
import { ShiftsRepository } from './shifts.repository';
import { ShiftsService } from './shifts.service';

/** Shifts (排班), booking rules, technicians' busy time and store blocks. Bookings use BusyTimeService. */
@Module({
  controllers: [SchedulingController, BusyBlocksController],
  providers: [
    BusyTimeRepository,
    BusyTimeService,
    BusyBlocksService,
    ShiftsRepository,
    ShiftsService,
    BookingSettingsRepository,
    BookingSettingsService,
  ],
  exports: [BusyTimeService, BusyTimeRepository, BookingSettingsRepository],
})
export class SchedulingModule {}
