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
  type RefundResult,
  type VerifiedCallback,
} from '../payment-provider';
import { SANDBOX_HEADERS, sandboxSignatureValid, type SandboxNotification } from './sandbox-signature';

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

  verifyCallback(input: CallbackInput<SandboxCredentials>): Promise<VerifiedCallback> {
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
    let n: SandboxNotification;
    try {
      n = JSON.parse(input.rawBody.toString('utf8')) as SandboxNotification;
    } catch {
      return Promise.reject(new CallbackRejectedError('malformed', 'body is not JSON'));
    }
    if (typeof n.outTradeNo !== 'string' || !Number.isInteger(n.amountFen)) {
      return Promise.reject(new CallbackRejectedError('malformed', 'body lacks outTradeNo or amountFen'));
    }
    return Promise.resolve({
      outTradeNo: n.outTradeNo,
      providerTradeNo: n.providerTradeNo,
      status: n.status === 'succeeded' ? 'succeeded' : 'failed',
      amountFen: n.amountFen,
      currency: n.currency,
      merchantId: n.merchantId,
      paidAt: n.paidAt ? new Date(n.paidAt) : undefined,
      raw: n,
    });
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

  refund(input: RefundInput<SandboxCredentials>): Promise<RefundResult> {
    return Promise.resolve({ status: 'succeeded', providerRefundNo: `SBXR${input.outRefundNo}` });
  }
}
