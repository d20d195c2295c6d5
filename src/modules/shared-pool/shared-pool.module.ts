import { Module } from '@nestjs/common';
import { SchedulingModule } from '../scheduling/scheduling.module';
import { PlatformPoolSettingsController } from './platform-pool-settings.controller';
import { SharedPoolController } from './shared-pool.controller';
import { SharedPoolRepository } from './shared-pool.repository';
import { SharedPoolService } from './shared-pool.service';

/** 共享订单池 through the platform path. `SharedPoolService.publish` is the dispatch engine's escalation seam. */
@Module({
  imports: [SchedulingModule],
  controllers: [SharedPoolController, PlatformPoolSettingsController],
  providers: [SharedPoolRepository, SharedPoolService],
  exports: [SharedPoolService],
})
export class SharedPoolModule {}
