import { Module } from '@nestjs/common';
import { OrdersModule } from '../orders/orders.module';
import { SchedulingModule } from '../scheduling/scheduling.module';
import { DispatchModule } from '../dispatch/dispatch.module';
import { DispatchGrabAssigner, GRAB_ASSIGNER, LocalGrabAssigner } from './grab-assigner';
import { GRAB_HALL } from '../dispatch/grab-hall.port';
import { GrabHallAdapter } from './grab-hall.adapter';
import { GrabController } from './grab.controller';
import { GrabRepository } from './grab.repository';
import { GrabService } from './grab.service';

/** 抢单 grab hall. `GrabService.open` is the seam the dispatch engine calls for grab mode. */
@Module({
  imports: [OrdersModule, SchedulingModule, DispatchModule],
  controllers: [GrabController],
  providers: [
    GrabRepository,
    GrabService,
    DispatchGrabAssigner,
    LocalGrabAssigner,
    { provide: GRAB_ASSIGNER, useExisting: DispatchGrabAssigner },
    GrabHallAdapter,
    { provide: GRAB_HALL, useExisting: GrabHallAdapter },
  ],
  exports: [GrabService, GRAB_HALL],
})
export class GrabModule {}
