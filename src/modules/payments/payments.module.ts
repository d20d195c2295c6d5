import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { APP_CONFIG } from '../../config/load-config';
import type { AppConfig } from '../../config/config.schema';
import { LedgerModule } from '../ledger/ledger.module';
import { CashRefundsService } from './cash-refunds.service';
import { MerchantCredentialsController } from './merchant-credentials.controller';
import { MerchantCredentialsRepository } from './merchant-credentials.repository';
import { MerchantCredentialsService } from './merchant-credentials.service';
import { OrderMoneyHooks } from './order-money-hooks';
import { OrderSettlementService } from './order-settlement.service';
import { OrdersPort } from './orders-port';
import { CALLBACK_ROUTE, PaymentCallbacksController } from './payment-callbacks.controller';
import { PaymentCallbacksService } from './payment-callbacks.service';
import { PaymentMethodsController } from './payment-methods.controller';
import { PaymentMethodsService } from './payment-methods.service';
import { PaymentOutcomesService } from './payment-outcomes.service';
import { PaymentSettingsRepository } from './payment-settings.repository';
import { EXTRA_PAYMENT_PROVIDERS, PaymentProviderRegistry } from './payment-provider.registry';
import { AlipayProvider } from './providers/alipay/alipay.provider';
import { WechatPayV3Provider } from './providers/wechat-pay-v3/wechat-pay-v3.provider';
import { PaymentsController } from './payments.controller';
import { PaymentsRepository } from './payments.repository';
import { PaymentsService } from './payments.service';
import { installRawBodyCapture } from './raw-body';
import { ReconciliationScheduler } from './reconciliation.scheduler';
import { ReconciliationViewService } from './reconciliation-view.service';
import { MismatchResolutionService } from './mismatch-resolution.service';
import { ReconciliationService } from './reconciliation.service';
import { RefundCompletion } from './refund-completion.service';
import { RefundOutcomesService } from './refund-outcomes.service';
import { RefundRequestsService } from './refund-requests.service';
import { RefundSubmission } from './refund-submission.service';
import { RefundsController } from './refunds.controller';
import { RefundsRepository } from './refunds.repository';
import { RefundsService } from './refunds.service';
import { SandboxGatewayService } from './sandbox-gateway.service';

/**
 * Payments (WeChat Pay v3, Alipay, stored balance, pay on arrival, sandbox), callbacks,
 * reconciliation and refunds, booking every money movement in the ledger. The protocol adapters
 * join through EXTRA_PAYMENT_PROVIDERS (payment-provider.registry.ts).
 */
@Module({
  imports: [LedgerModule],
  controllers: [
    PaymentsController,
    MerchantCredentialsController,
    PaymentCallbacksController,
    RefundsController,
    PaymentMethodsController,
  ],
  providers: [
    {
      provide: EXTRA_PAYMENT_PROVIDERS,
      inject: [APP_CONFIG],
      useFactory: (c: AppConfig) => [
        new WechatPayV3Provider({ baseUrl: c.WECHAT_PAY_BASE_URL }),
        new AlipayProvider({ gateway: c.ALIPAY_GATEWAY_URL }),
      ],
    },
    PaymentProviderRegistry,
    MerchantCredentialsRepository,
    MerchantCredentialsService,
    PaymentSettingsRepository,
    PaymentMethodsService,
    PaymentsRepository,
    PaymentsService,
    PaymentOutcomesService,
    PaymentCallbacksService,
    SandboxGatewayService,
    ReconciliationScheduler,
    ReconciliationService,
    RefundsRepository,
    RefundsService,
    RefundCompletion,
    RefundOutcomesService,
    RefundSubmission,
    RefundRequestsService,
    ReconciliationViewService,
    MismatchResolutionService,
    CashRefundsService,
    OrderSettlementService,
    OrderMoneyHooks,
    OrdersPort,
  ],
  exports: [
    PaymentsService,
    RefundsService,
    ReconciliationService,
    OrderSettlementService,
    PaymentMethodsService,
    LedgerModule,
  ],
})
export class PaymentsModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (fastify) installRawBodyCapture(fastify, CALLBACK_ROUTE, this.config.BODY_LIMIT_BYTES);
  }
}
