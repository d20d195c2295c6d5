import { randomBytes } from 'node:crypto';
import {
  CallbackRejectedError,
  type CallbackInput,
  type CreatePaymentInput,
  type CreatePaymentResult,
  type PaymentProvider,
  type ProviderReply,
  type QueryResult,
  type RefundInput,
  type RefundQueryInput,
  type RefundResult,
  type RefundStatusReport,
  type VerifiedCallback,
  type VerifiedRefundCallback,
} from '../payment-provider';
import {
  SANDBOX_HEADERS,
  sandboxSignatureValid,
  type SandboxNotification,
  type SandboxRefundNotification,
} from './sandbox-signature';

/** A refund as the sandbox gateway holds it (processing until settled). */
type SandboxRefund = Omit<SandboxRefundNotification, 'status'> & { status: 'succeeded' | 'failed' | 'processing' };

export interface SandboxCredentials {
  merchantId: string;
  key: string;
}

const MAX_SKEW_MS = 5 * 60_000;

const header = (h: CallbackInput<unknown>['headers'], name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * A pretend gateway for local use. `createPayment` sends the customer to our own checkout page
 * (payments/sandbox); its Pay / Fail buttons record the outcome here (so `query` can answer
 * reconciliation) and post a signed notification to the normal callback route, verified below
 * exactly like a real provider's: signature, timestamp window, then the service's amount,
 * currency and merchant checks.
 */
export class SandboxProvider implements PaymentProvider<SandboxCredentials> {
  readonly id = 'sandbox' as const;
  /** The gateway's own memory of finished checkouts (per process; it is a sandbox). */
  private readonly outcomes = new Map<string, SandboxNotification>();
  private readonly refunds = new Map<string, SandboxRefund>();
  refundsSettleLater = false;

  constructor(private readonly checkoutUrl: (input: CreatePaymentInput<SandboxCredentials>) => string) {}

  parseCredentials(input: unknown): SandboxCredentials {
    const c = input as Partial<SandboxCredentials> | null;
    if (!c || typeof c.merchantId !== 'string' || typeof c.key !== 'string' || c.key.length < 16) {
      throw new Error('sandbox credentials need merchantId and a key of at least 16 characters');
    }
    return { merchantId: c.merchantId, key: c.key };
  }

  createPayment(input: CreatePaymentInput<SandboxCredentials>): Promise<CreatePaymentResult> {
    return Promise.resolve({ kind: 'redirect', url: this.checkoutUrl(input) });
  }

  /** Records the checkout's outcome as the gateway would (trade number assigned once). */
  complete(n: Omit<SandboxNotification, 'providerTradeNo' | 'paidAt'>, now: Date): SandboxNotification {
    const previous = this.outcomes.get(n.outTradeNo);
    const done: SandboxNotification = previous ?? {
      ...n,
      providerTradeNo: `SBX${randomBytes(10).toString('hex')}`,
      paidAt: now.toISOString(),
    };
    this.outcomes.set(n.outTradeNo, done);
    return done;
  }

  async verifyCallback(input: CallbackInput<SandboxCredentials>): Promise<VerifiedCallback> {
    const n = (await this.open(input)) as SandboxNotification;
    if (typeof n.outTradeNo !== 'string' || !Number.isInteger(n.amountFen)) {
      throw new CallbackRejectedError('malformed', 'body lacks outTradeNo or amountFen');
    }
    return {
      outTradeNo: n.outTradeNo,
      providerTradeNo: n.providerTradeNo,
      status: n.status === 'succeeded' ? 'succeeded' : 'failed',
      amountFen: n.amountFen,
      currency: n.currency,
      merchantId: n.merchantId,
      paidAt: n.paidAt ? new Date(n.paidAt) : undefined,
      raw: n,
    };
  }

  isRefundNotification(rawBody: Buffer): boolean {
    return rawBody.includes('"outRefundNo"');
  }

  async verifyRefundCallback(input: CallbackInput<SandboxCredentials>): Promise<VerifiedRefundCallback> {
    const n = (await this.open(input)) as Partial<SandboxRefundNotification>;
    if (typeof n.outRefundNo !== 'string' || !Number.isInteger(n.refundFen)) {
      throw new CallbackRejectedError('malformed', 'body lacks outRefundNo or refundFen');
    }
    return {
      outRefundNo: n.outRefundNo,
      status: n.status === 'succeeded' ? 'succeeded' : 'failed',
      refundFen: n.refundFen,
      ...(n.outTradeNo ? { outTradeNo: n.outTradeNo } : {}),
      ...(n.providerRefundNo ? { providerRefundNo: n.providerRefundNo } : {}),
      ...(n.merchantId ? { merchantId: n.merchantId } : {}),
      ...(n.succeededAt ? { succeededAt: new Date(n.succeededAt) } : {}),
      raw: n,
    };
  }

  /** Signature, then the 5-minute window, then JSON: the checks every sandbox notification passes. */
  private open(input: CallbackInput<SandboxCredentials>): Promise<unknown> {
    const ts = header(input.headers, SANDBOX_HEADERS.timestamp);
    const nonce = header(input.headers, SANDBOX_HEADERS.nonce);
    const sig = header(input.headers, SANDBOX_HEADERS.signature);
    if (!ts || !nonce || !sig || !/^\d{1,13}$/.test(ts) || !/^[0-9a-f]{64}$/.test(sig)) {
      return Promise.reject(new CallbackRejectedError('malformed', 'missing or malformed signature headers'));
    }
    if (!sandboxSignatureValid(input.credentials.key, ts, nonce, input.rawBody, sig)) {
      return Promise.reject(new CallbackRejectedError('signature', 'signature does not verify'));
    }
    if (Math.abs(input.now.getTime() - Number(ts) * 1000) > MAX_SKEW_MS) {
      return Promise.reject(new CallbackRejectedError('timestamp', 'timestamp more than 5 minutes off'));
    }
    try {
      return Promise.resolve(JSON.parse(input.rawBody.toString('utf8')) as unknown);
    } catch {
      return Promise.reject(new CallbackRejectedError('malformed', 'body is not JSON'));
    }
  }

  callbackReply(accepted: boolean): ProviderReply {
    return {
      status: accepted ? 200 : 400,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(accepted ? { code: 'SUCCESS' } : { code: 'FAIL', message: 'rejected' }),
    };
  }

  query(_credentials: SandboxCredentials, outTradeNo: string): Promise<QueryResult> {
    const n = this.outcomes.get(outTradeNo);
    if (!n) return Promise.resolve({ status: 'pending' });
    return Promise.resolve({
      status: n.status,
      providerTradeNo: n.providerTradeNo,
      amountFen: n.amountFen,
      merchantId: n.merchantId,
      paidAt: new Date(n.paidAt),
    });
  }

  /**
   * Refunds are remembered per out_refund_no (submitting one again answers what the first did).
   * They succeed at once, unless `refundsSettleLater` is set: then they stay `processing` until
   * settleRefund, as a bank-card refund that takes days would — to try the follow-up path locally.
   */
  refund(input: RefundInput<SandboxCredentials>): Promise<RefundResult> {
    const known =
      this.refunds.get(input.outRefundNo) ??
      this.refunds
        .set(input.outRefundNo, {
          outRefundNo: input.outRefundNo,
          outTradeNo: input.outTradeNo,
          providerRefundNo: `SBXR${input.outRefundNo}`,
          status: this.refundsSettleLater ? 'processing' : 'succeeded',
          refundFen: input.refundFen,
          merchantId: input.credentials.merchantId,
          succeededAt: this.refundsSettleLater ? null : new Date().toISOString(),
        })
        .get(input.outRefundNo)!;
    return Promise.resolve({ status: known.status, providerRefundNo: known.providerRefundNo });
  }

  /** The gateway finishes a refund it held as processing; returns what it would notify. */
  settleRefund(outRefundNo: string, status: 'succeeded' | 'failed', now: Date): SandboxRefundNotification {
    const r = this.refunds.get(outRefundNo);
    if (!r) throw new Error(`sandbox knows no refund ${outRefundNo}`);
    const done: SandboxRefundNotification = {
      ...r,
      status,
      succeededAt: status === 'succeeded' ? now.toISOString() : null,
    };
    this.refunds.set(outRefundNo, done);
    return done;
  }

  queryRefund(input: RefundQueryInput<SandboxCredentials>): Promise<RefundStatusReport> {
    const r = this.refunds.get(input.outRefundNo);
    if (!r) return Promise.resolve({ outRefundNo: input.outRefundNo, status: 'not_found' });
    return Promise.resolve({
      outRefundNo: r.outRefundNo,
      status: r.status,
      outTradeNo: r.outTradeNo,
      providerRefundNo: r.providerRefundNo,
      refundFen: r.refundFen,
      merchantId: r.merchantId,
      ...(r.succeededAt ? { succeededAt: new Date(r.succeededAt) } : {}),
    });
  }
}
