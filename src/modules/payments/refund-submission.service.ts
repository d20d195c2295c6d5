import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG } from '../../config/load-config';
import type { AppConfig } from '../../config/config.schema';
import type { Refund } from '../../generated/prisma/client';
import { TenantContext } from '../../platform/database/tenant-context';
import { MerchantCredentialsService } from './merchant-credentials.service';
import { assertOutsideUnitOfWork } from './outside-transaction';
import { PaymentProviderRegistry } from './payment-provider.registry';
import { PaymentsRepository } from './payments.repository';
import type { RefundInput, RefundResult } from './providers/payment-provider';
import { ProviderRequestError } from './providers/provider-errors';
import { RefundCompletion } from './refund-completion.service';
import { RefundsRepository } from './refunds.repository';

type SendPlan =
  { refund: Refund } | { send: (input: RefundInput<unknown>) => Promise<RefundResult>; input: RefundInput<unknown> };

/**
 * Sends an approved refund to its provider with no transaction open during the call: a first
 * unit of work reads what to send (the refund row is already committed, `approved`, with its
 * deterministic out_refund_no), the provider is called, a second unit of work records the answer
 * under the order and refund locks — unless a notification or a query recorded one first. A
 * crash or a network failure in between leaves the refund `approved`: reconciliation asks the
 * provider about it and sends it again if it never arrived (same out_refund_no: the provider
 * treats it as the same refund).
 */
@Injectable()
export class RefundSubmission {
  private readonly logger = new Logger('payments.refunds');

  constructor(
    private readonly repo: RefundsRepository,
    private readonly payments: PaymentsRepository,
    private readonly registry: PaymentProviderRegistry,
    private readonly merchants: MerchantCredentialsService,
    private readonly completion: RefundCompletion,
    private readonly tenantContext: TenantContext,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Outside any unit of work. Returns the refund as it stands afterwards (approved when the outcome is unknown). */
  async submit(tenantId: string, refundId: string): Promise<Refund> {
    assertOutsideUnitOfWork(this.tenantContext, 'RefundSubmission.submit');
    const plan = await this.tenantContext.run(tenantId, () => this.plan(refundId));
    if ('refund' in plan) return plan.refund;
    let result: RefundResult;
    try {
      result = await plan.send(plan.input);
    } catch (e) {
      if (!(e instanceof ProviderRequestError && e.kind === 'rejected')) {
        // No answer we can act on: leave it approved for reconciliation to ask about.
        this.logger.warn({
          msg: 'refund submission failed',
          outRefundNo: plan.input.outRefundNo,
          err: (e as Error).message,
        });
        return this.tenantContext.run(tenantId, () => this.current(refundId));
      }
      // The provider refused it (e.g. WeChat NOT_ENOUGH): the refund did not happen.
      this.logger.warn({
        msg: 'refund refused by the provider',
        outRefundNo: plan.input.outRefundNo,
        code: e.details.code,
      });
      result = { status: 'failed' };
    }
    return this.tenantContext.run(tenantId, () => this.record(refundId, result));
  }

  private async current(refundId: string): Promise<Refund> {
    const refund = await this.repo.find(refundId);
    if (!refund) throw new Error(`refund ${refundId} does not exist`);
    return refund;
  }

  private async plan(refundId: string): Promise<SendPlan> {
    const refund = await this.current(refundId);
    if (refund.status !== 'approved') return { refund };
    const payment = await this.payments.find(refund.paymentId);
    const provider = payment ? this.registry.get(payment.provider) : undefined;
    const merchant = payment ? await this.merchants.forProvider(payment.provider) : null;
    if (!payment || !provider?.refund || !merchant) {
      const order = await this.payments.lockOrder(refund.orderId);
      const locked = await this.repo.lock(refundId);
      if (!order || locked?.status !== 'approved') return { refund: locked ?? refund };
      return { refund: await this.completion.failed(locked, order) };
    }
    return {
      send: provider.refund.bind(provider),
      input: {
        credentials: merchant.credentials,
        outTradeNo: payment.outTradeNo,
        outRefundNo: refund.outRefundNo,
        refundFen: refund.amountFen,
        totalFen: payment.amountFen,
        reason: refund.reason,
        ...(provider.verifyRefundCallback ? { notifyUrl: await this.notifyUrl(payment.provider) } : {}),
      },
    };
  }

  /** The provider's answer, under the order lock then the refund lock; a refund already decided is left alone. */
  private async record(refundId: string, result: RefundResult): Promise<Refund> {
    const found = await this.repo.find(refundId);
    const order = found ? await this.payments.lockOrder(found.orderId) : null;
    const refund = order ? await this.repo.lock(refundId) : null;
    if (!order || !refund) throw new Error(`refund ${refundId} disappeared`);
    if (refund.status !== 'approved') return refund;
    if (result.status === 'failed') return this.completion.failed(refund, order, result.providerRefundNo);
    if (result.status === 'processing') {
      // WeChat/Alipay may settle later: its notification or the reconciliation query finishes it.
      return this.repo.update(refund.id, { status: 'processing', providerRefundNo: result.providerRefundNo ?? null });
    }
    return this.completion.succeeded(refund, order, result.providerRefundNo);
  }

  /** Where the provider posts the refund's result: the store's callback route, like payments. */
  private async notifyUrl(provider: string): Promise<string> {
    return `${this.config.PUBLIC_URL}/t/${await this.repo.storeSlug()}/api/payments/callbacks/${provider}`;
  }
}
