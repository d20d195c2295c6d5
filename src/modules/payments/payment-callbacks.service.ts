import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import type { Payment } from '../../generated/prisma/client';
import { CallbackRejectedError, type ProviderReply } from './providers/payment-provider';
import { MerchantCredentialsService } from './merchant-credentials.service';
import { PaymentOutcomesService, type OutcomeResult } from './payment-outcomes.service';
import { PaymentProviderRegistry } from './payment-provider.registry';
import { PaymentsRepository } from './payments.repository';
import { RefundOutcomesService } from './refund-outcomes.service';

export const CALLBACK_PROVIDERS = ['wechat', 'alipay', 'sandbox'] as const;
export type CallbackProvider = (typeof CALLBACK_PROVIDERS)[number];

export interface HandleOptions {
  /**
   * The payment row the caller already holds locked (FOR UPDATE) in this unit of work — the
   * sandbox gateway's own confirmation. Only a hint: the notification is verified in full all the
   * same, and the outcome path uses the row only when the verified notification names it.
   */
  lockedPayment?: Payment;
}

const plainReply = (status: number, body: string): ProviderReply => ({
  status,
  headers: { 'content-type': 'text/plain' },
  body,
});

/**
 * A provider's asynchronous notification — of a payment or of a refund — inside the store's unit
 * of work: verify (signature, timestamp, decryption — the adapter), then the shared idempotent
 * path of its kind. Whatever happens the
 * notification is logged, and the work commits (a rejection changes nothing but the log), so
 * this never throws for a bad notification: it answers in the provider's own format.
 */
@Injectable()
export class PaymentCallbacksService {
  private readonly logger = new Logger('payments.callbacks');

  constructor(
    private readonly registry: PaymentProviderRegistry,
    private readonly merchants: MerchantCredentialsService,
    private readonly outcomes: PaymentOutcomesService,
    private readonly refundOutcomes: RefundOutcomesService,
    private readonly repo: PaymentsRepository,
  ) {}

  async handle(
    providerId: CallbackProvider,
    headers: Record<string, string | string[] | undefined>,
    rawBody: Buffer,
    now = new Date(),
    opts: HandleOptions = {},
  ): Promise<ProviderReply> {
    const provider = this.registry.get(providerId);
    const bodySha256 = createHash('sha256').update(rawBody).digest('hex');
    const reply = (accepted: boolean) =>
      provider?.callbackReply?.(accepted) ?? plainReply(accepted ? 200 : 400, accepted ? 'success' : 'fail');
    const merchant = provider?.verifyCallback ? await this.merchants.forCallback(providerId) : null;
    if (!provider?.verifyCallback || !merchant) {
      await this.repo.logCallback({
        provider: providerId,
        source: 'callback',
        paymentId: null,
        outTradeNo: null,
        outcome: 'rejected',
        reason: 'not_configured',
        bodySha256,
      });
      return reply(false);
    }
    const input = { credentials: merchant.credentials, headers, rawBody, now };
    // Refund notifications come to the same route (WeChat REFUND.*); each kind is verified in full.
    const verifyRefund = provider.isRefundNotification?.(rawBody)
      ? provider.verifyRefundCallback?.bind(provider)
      : undefined;
    let apply: () => Promise<OutcomeResult>;
    try {
      if (verifyRefund) {
        const verified = await verifyRefund(input);
        apply = () => this.refundOutcomes.apply(providerId, 'callback', verified, bodySha256);
      } else {
        const verified = await provider.verifyCallback(input);
        apply = () => this.outcomes.apply(providerId, 'callback', verified, bodySha256, { locked: opts.lockedPayment });
      }
    } catch (e) {
      const reason = e instanceof CallbackRejectedError ? e.reason : 'malformed';
      if (!(e instanceof CallbackRejectedError))
        this.logger.warn({ msg: 'callback verification error', provider: providerId, err: (e as Error).message });
      await this.repo.logCallback({
        provider: providerId,
        source: 'callback',
        paymentId: null,
        outTradeNo: null,
        outcome: 'rejected',
        reason,
        bodySha256,
      });
      return reply(false);
    }
    const r = await apply();
    return reply(r.result !== 'rejected');
  }
}
