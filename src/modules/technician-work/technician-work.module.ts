import { Module } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module';
import { OrdersModule } from '../orders/orders.module';
import { SchedulingModule } from '../scheduling/scheduling.module';
import { ExtensionsService } from './extensions.service';
import { IncomeService } from './income.service';
import { SosService } from './sos.service';
import { StaffSafetyMoneyController } from './staff-safety-money.controller';
import { TechnicianOrdersService } from './technician-orders.service';
import { TechnicianWorkController } from './technician-work.controller';
import { TechnicianWorkRepository } from './technician-work.repository';

/** The technician's trip workflow, SOS and income/withdrawals (issue 5, items 6 and 8). */
@Module({
  imports: [OrdersModule, LedgerModule, SchedulingModule],
  controllers: [TechnicianWorkController, StaffSafetyMoneyController],
  providers: [TechnicianWorkRepository, ExtensionsService, TechnicianOrdersService, SosService, IncomeService],
})
export class TechnicianWorkModule {}
