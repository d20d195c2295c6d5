import { Inject, Injectable, Optional } from '@nestjs/common';
import { APP_CONFIG } from '../../config/load-config';
import type { AppConfig } from '../../config/config.schema';
import { BalanceProvider, CashProvider } from './providers/internal/balance.provider';
import { SandboxProvider } from './providers/internal/sandbox.provider';
import type { PaymentProvider, ProviderId } from './providers/payment-provider';

/** Protocol adapters registered by the module (WeChat Pay v3, Alipay) on top of the internal ones. */
export const EXTRA_PAYMENT_PROVIDERS = Symbol('EXTRA_PAYMENT_PROVIDERS');

/**
 * Every payment method by id. The sandbox exists when PAYMENT_SANDBOX_ENABLED says so (default: not
 * in production; the bench turns it on explicitly to drive order-create).
 */
@Injectable()
export class PaymentProviderRegistry {
  private readonly byId = new Map<ProviderId, PaymentProvider<unknown>>();
  readonly sandbox: SandboxProvider | null;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Optional() @Inject(EXTRA_PAYMENT_PROVIDERS) extra: PaymentProvider<unknown>[] | null,
  ) {
    this.register(new BalanceProvider());
    this.register(new CashProvider());
    this.sandbox =
      (config.PAYMENT_SANDBOX_ENABLED ?? config.NODE_ENV !== 'production')
        ? // the checkout page sits beside the store's callback route (same /t/{slug}/api/payments base)
          new SandboxProvider((p) => p.notifyUrl.replace(/\/callbacks\/sandbox$/, `/sandbox/checkout/${p.outTradeNo}`))
        : null;
    if (this.sandbox) this.register(this.sandbox);
    for (const p of extra ?? []) this.register(p);
  }

  private register(p: PaymentProvider<unknown>): void {
    if (this.byId.has(p.id)) throw new Error(`payment provider ${p.id} registered twice`);
    this.byId.set(p.id, p);
  }

  get(id: string): PaymentProvider<unknown> | undefined {
    return this.byId.get(id as ProviderId);
  }

  ids(): ProviderId[] {
    return [...this.byId.keys()];
  }
}
