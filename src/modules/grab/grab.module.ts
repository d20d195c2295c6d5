import { Module } from '@nestjs/common';
import { OrdersModule } from '../orders/orders.module';
import { SchedulingModule } from '../scheduling/scheduling.module';
import { GRAB_ASSIGNER, LocalGrabAssigner } from './grab-assigner';
import { GRAB_HALL } from '../dispatch/grab-hall.port';
import { GrabHallAdapter } from './grab-hall.adapter';
import { GrabController } from './grab.controller';
import { GrabRepository } from './grab.repository';
import { GrabService } from './grab.service';

/** 抢单 grab hall. `GrabService.open` is the seam the dispatch engine calls for grab mode. */
@Module({
  imports: [OrdersModule, SchedulingModule],
  controllers: [GrabController],
  providers: [
    GrabRepository,
    GrabService,
    LocalGrabAssigner,
    { provide: GRAB_ASSIGNER, useExisting: LocalGrabAssigner },
    GrabHallAdapter,
    { provide: GRAB_HALL, useExisting: GrabHallAdapter },
  ],
  exports: [GrabService, GRAB_HALL],
})
export class GrabModule {}
