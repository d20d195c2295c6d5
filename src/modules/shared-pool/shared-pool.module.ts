import { Module } from '@nestjs/common';
import { SHARED_POOL } from '../dispatch/shared-pool.port';
import { LedgerModule } from '../ledger/ledger.module';
import { OrdersModule } from '../orders/orders.module';
import { SchedulingModule } from '../scheduling/scheduling.module';
import { PlatformPoolSettingsController } from './platform-pool-settings.controller';
import { PoolEscalationAdapter } from './pool-escalation.adapter';
import { PoolGiverEffectsJob } from './pool-giver-effects.job';
import { PoolGiverEffectsRepository } from './pool-giver-effects.repository';
import { PoolGiverFeed } from './pool-giver-feed';
import { PoolOrderHooks } from './pool-order-hooks';
import { PoolSettlementService } from './pool-settlement.service';
import { PoolWorkController } from './pool-work.controller';
import { PoolWorkRepository } from './pool-work.repository';
import { PoolWorkService } from './pool-work.service';
import { SharedPoolController } from './shared-pool.controller';
import { SharedPoolRepository } from './shared-pool.repository';
import { SharedPoolService } from './shared-pool.service';

/**
 * 共享订单池 through the platform path. The dispatch engine escalates to it through the
 * `SHARED_POOL` port (PoolEscalationAdapter); orders assigned at home or cancelled leave it; the
 * holder of a pool order runs its trip through PoolWorkService.
 */
@Module({
  imports: [SchedulingModule, OrdersModule, LedgerModule],
  controllers: [SharedPoolController, PoolWorkController, PlatformPoolSettingsController],
  providers: [
    SharedPoolRepository,
    SharedPoolService,
    PoolGiverFeed,
    PoolGiverEffectsRepository,
    PoolGiverEffectsJob,
    PoolWorkRepository,
    PoolWorkService,
    PoolSettlementService,
    PoolOrderHooks,
    PoolEscalationAdapter,
    { provide: SHARED_POOL, useExisting: PoolEscalationAdapter },
  ],
  exports: [SharedPoolService, SHARED_POOL],
})
export class SharedPoolModule {}
