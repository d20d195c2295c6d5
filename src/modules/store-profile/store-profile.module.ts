import { Module } from '@nestjs/common';
import { StoreAreaService } from './store-area.service';
import { StoreProfileController } from './store-profile.controller';
import { StoreProfileRepository } from './store-profile.repository';
import { StoreProfileService } from './store-profile.service';

@Module({
  controllers: [StoreProfileController],
  providers: [StoreProfileService, StoreProfileRepository, StoreAreaService],
  // Booking/availability import this module for StoreAreaService (reject addresses outside the area).
  exports: [StoreProfileRepository, StoreAreaService],
})
export class StoreProfileModule {}
