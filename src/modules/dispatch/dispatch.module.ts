import { Module } from '@nestjs/common';
import { OrdersModule } from '../orders/orders.module';
import { SchedulingModule } from '../scheduling/scheduling.module';
import { AppealsRepository } from './appeals.repository';
import { AppealsService } from './appeals.service';
import { AssignmentService } from './assignment.service';
import { BlocksService } from './blocks.service';
import { CandidatesRepository } from './candidates.repository';
import { CandidatesService } from './candidates.service';
import { CustomerBlocksController } from './customer-blocks.controller';
import { DispatchEndings } from './dispatch-endings.service';
import { DispatchLogService } from './dispatch-log.service';
import { DispatchOffersController } from './dispatch-offers.controller';
import { DispatchSettingsService } from './dispatch-settings.service';
import { DispatchController } from './dispatch.controller';
import { DispatchJob } from './dispatch.job';
import { DispatchRepository } from './dispatch.repository';
import { DispatchService } from './dispatch.service';
import { OffersService } from './offers.service';

/**
 * 派单. Seams for other modules: `AssignmentService.assign(orderId, technicianId, { via, actor,
 * reason })` (grab claims, shared pool), `CandidatesService.evaluate` (who is eligible, ranked),
 * `DispatchRepository.log` (dispatch-log lines such as grab_won / grab_lost), the `GRAB_HALL`
 * port (grab-hall.port.ts) and `DispatchRepository.settings()` (incl. pool participation).
 */
@Module({
  imports: [OrdersModule, SchedulingModule],
  controllers: [DispatchController, DispatchOffersController, CustomerBlocksController],
  providers: [
    DispatchRepository,
    CandidatesRepository,
    CandidatesService,
    DispatchService,
    DispatchEndings,
    AssignmentService,
    OffersService,
    DispatchSettingsService,
    DispatchLogService,
    AppealsRepository,
    AppealsService,
    BlocksService,
    DispatchJob,
  ],
  exports: [AssignmentService, CandidatesService, DispatchRepository, DispatchService],
})
export class DispatchModule {}
