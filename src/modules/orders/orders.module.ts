import { Module } from '@nestjs/common';
import { AddressesModule } from '../addresses/addresses.module';
import { PaymentsModule } from '../payments/payments.module';
import { SchedulingModule } from '../scheduling/scheduling.module';
import { StoreProfileModule } from '../store-profile/store-profile.module';
import { OrderActionsService } from './order-actions.service';
import { OrderCancellationService } from './order-cancellation.service';
import { OrderSettingsController } from './order-settings.controller';
import { OrderSettingsService } from './order-settings.service';
import { OrderTimersJob } from './order-timers.job';
import { OrderTimersService } from './order-timers.service';
import { OrderTransitions } from './order-transitions.service';
import { OrdersPaymentPort } from './orders-payment.port';
import { OrdersController } from './orders.controller';
import { OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';
import { QUOTE_ADJUSTMENT_SOURCES } from './quote-adjustments';
import { QuotesController } from './quotes.controller';
import { QuotesRepository } from './quotes.repository';
import { QuotesService } from './quotes.service';

/**
 * Quotes, orders, the order state machine and its timers. Seams for other modules:
 * `OrderTransitions` (the only status writer), `OrdersPaymentPort` (payments), `refund_requests`
 * (refund.port.ts), `QUOTE_ADJUSTMENT_SOURCES` (members/coupons/points).
 */
@Module({
  imports: [AddressesModule, SchedulingModule, StoreProfileModule, PaymentsModule],
  controllers: [QuotesController, OrdersController, OrderSettingsController],
  providers: [
    QuotesRepository,
    QuotesService,
    OrdersRepository,
    OrdersService,
    OrderTransitions,
    OrderTimersService,
    OrderTimersJob,
    OrderCancellationService,
    OrderActionsService,
    OrderSettingsService,
    OrdersPaymentPort,
    { provide: QUOTE_ADJUSTMENT_SOURCES, useValue: [] },
  ],
  exports: [OrderTransitions, OrdersPaymentPort],
})
export class OrdersModule {}
