import { Injectable } from '@nestjs/common';
import type { Actor } from '../../platform/auth/actor';
import { AuditService } from '../../platform/audit/audit.service';
import { LedgerService } from '../ledger/ledger.service';
import type {
  PaymentMethodView,
  PaymentMethodsView,
  PaymentSettingsView,
  UpdatePaymentSettingsDto,
} from './dto/payment-methods.dto';
import { CONFIGURABLE_PROVIDERS } from './merchant-credentials.service';
import { MerchantCredentialsRepository } from './merchant-credentials.repository';
import { PaymentProviderRegistry } from './payment-provider.registry';
import { PaymentSettingsRepository } from './payment-settings.repository';

/**
 * What a store offers its customers to pay with, now: WeChat Pay and Alipay when their merchant
 * account is configured and enabled, the stored balance when the signed-in customer has some (the
 * amount shown), 到付 and the sandbox as the store's payment settings say (the sandbox only where
 * the server runs it at all). Built from flags alone: no credential is decrypted or returned.
 */
@Injectable()
export class PaymentMethodsService {
  constructor(
    private readonly merchants: MerchantCredentialsRepository,
    private readonly settings: PaymentSettingsRepository,
    private readonly registry: PaymentProviderRegistry,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
  ) {}

  async offered(actor: Actor | undefined): Promise<PaymentMethodsView> {
    const [accounts, settings] = await Promise.all([this.merchants.list(), this.settings.get()]);
    const methods: PaymentMethodView[] = [];
    for (const provider of CONFIGURABLE_PROVIDERS) {
      const account = accounts.find((a) => a.provider === provider);
      if (account?.enabled && this.registry.get(provider)) methods.push({ method: provider });
    }
    if (actor?.kind === 'customer') {
      const balanceFen = await this.ledger.walletBalance(actor.id);
      if (balanceFen > 0) methods.push({ method: 'balance', balanceFen });
    }
    if (settings.onArrivalEnabled) methods.push({ method: 'on_arrival' });
    if (settings.sandboxEnabled && this.registry.sandbox) methods.push({ method: 'sandbox' });
    return { methods };
  }

  /** Whether customers may book to pay on arrival (checked when an order is booked that way). */
  async onArrivalEnabled(): Promise<boolean> {
    return (await this.settings.get()).onArrivalEnabled;
  }

  getSettings(): Promise<PaymentSettingsView> {
    return this.settings.get();
  }

  async updateSettings(actorId: string, dto: UpdatePaymentSettingsDto): Promise<PaymentSettingsView> {
    const row = await this.settings.upsert(dto, actorId);
    await this.audit.record({
      actorType: 'staff',
      actorId,
      action: 'payments.settings_updated',
      targetType: 'payment_settings',
      targetId: 'store',
      details: { ...dto },
    });
    return row;
  }
}
