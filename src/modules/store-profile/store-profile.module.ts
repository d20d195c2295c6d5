import { Module } from '@nestjs/common';
import { StoreProfileController } from './store-profile.controller';
import { StoreProfileRepository } from './store-profile.repository';
import { StoreProfileService } from './store-profile.service';

@Module({
  controllers: [StoreProfileController],
  providers: [StoreProfileService, StoreProfileRepository],
  exports: [StoreProfileRepository],
})
export class StoreProfileModule {}
