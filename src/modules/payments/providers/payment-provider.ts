/**
 * The contract every payment method implements (WeChat Pay v3, Alipay, stored balance, pay on
 * arrival, sandbox). Providers are pure protocol adapters: they never touch the database; the
 * payments service owns state, idempotency, amount/merchant checks and the ledger.
 */

export type ProviderId = 'wechat' | 'alipay' | 'balance' | 'cash' | 'sandbox';

export type PayChannel = 'jsapi' | 'h5' | 'wap' | 'internal';

export interface CreatePaymentInput<C> {
  credentials: C;
  channel: PayChannel;
  /** Our payment number, unique per store, sent to the provider as out_trade_no. */
  outTradeNo: string;
  amountFen: number;
  currency: 'CNY';
  description: string;
  expiresAt: Date;
  /** Where the provider posts its asynchronous notification (absolute URL). */
  notifyUrl: string;
  /** Where the customer's browser returns after paying (H5/WAP). */
  returnUrl: string;
  payer: { clientIp: string; openid?: string };
}

/** What the customer's browser must do next. */
export type CreatePaymentResult =
  | { kind: 'redirect'; url: string }
  | { kind: 'jsapi'; params: Record<string, string> }
  | { kind: 'form'; html: string }
  | { kind: 'completed' }
  | { kind: 'awaiting_collection' };

export interface CallbackInput<C> {
  credentials: C;
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
  now: Date;
}

/** A notification whose signature (and, for WeChat, decryption) has been verified. */
export interface VerifiedCallback {
  outTradeNo: string;
  providerTradeNo: string;
  status: 'succeeded' | 'failed' | 'closed' | 'pending';
  amountFen: number;
  currency: string;
  /** The merchant the provider says was paid (mchid / seller_id / app_id) — checked against the store's. */
  merchantId: string;
  paidAt?: Date;
  raw: unknown;
}

/** Thrown when a notification fails verification: bad signature, stale timestamp, undecryptable. */
export class CallbackRejectedError extends Error {
  constructor(
    readonly reason: 'signature' | 'timestamp' | 'decrypt' | 'malformed' | 'merchant',
    message: string,
  ) {
    super(message);
  }
}

export interface ProviderReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface QueryResult {
  status: 'succeeded' | 'pending' | 'failed' | 'closed' | 'not_found';
  providerTradeNo?: string;
  amountFen?: number;
  merchantId?: string;
  paidAt?: Date;
}

export interface RefundInput<C> {
  credentials: C;
  outTradeNo: string;
  outRefundNo: string;
  refundFen: number;
  totalFen: number;
  reason: string;
  notifyUrl?: string;
}

export interface RefundResult {
  status: 'succeeded' | 'processing' | 'failed';
  providerRefundNo?: string;
}

export interface RefundQueryInput<C> {
  credentials: C;
  outTradeNo: string;
  outRefundNo: string;
}

/**
 * What a provider says about one of our refunds (query or notification). `not_found`: the
 * provider has no refund with this number (never submitted, or not yet visible) — submitting it
 * again with the same number is safe.
 */
export interface RefundStatusReport {
  outRefundNo: string;
  status: 'succeeded' | 'processing' | 'failed' | 'not_found';
  providerRefundNo?: string;
  /** the payment the provider says the refund belongs to */
  outTradeNo?: string;
  refundFen?: number;
  merchantId?: string;
  succeededAt?: Date;
}

/** A refund notification whose signature (and decryption) has been verified. */
export interface VerifiedRefundCallback extends RefundStatusReport {
  status: 'succeeded' | 'processing' | 'failed';
  raw: unknown;
}

export interface PaymentProvider<C = unknown> {
  readonly id: ProviderId;
  /** Validates and normalises a store's merchant credentials (stored encrypted by the service). */
  parseCredentials(input: unknown): C;
  createPayment(input: CreatePaymentInput<C>): Promise<CreatePaymentResult>;
  /** Only for providers that notify asynchronously (wechat, alipay, sandbox). */
  verifyCallback?(input: CallbackInput<C>): Promise<VerifiedCallback>;
  /** The acknowledgement body/format the provider expects (WeChat: JSON/204, Alipay: `success`). */
  callbackReply?(accepted: boolean): ProviderReply;
  query?(credentials: C, outTradeNo: string): Promise<QueryResult>;
  refund?(input: RefundInput<C>): Promise<RefundResult>;
  /** Asks the provider where a refund it answered `processing` (or never answered) stands. */
  queryRefund?(input: RefundQueryInput<C>): Promise<RefundStatusReport>;
  /**
   * Whether a notification posted to the callback route is about a refund rather than a payment.
   * Only routes it (nothing is trusted yet): verifyRefundCallback then verifies it in full.
   */
  isRefundNotification?(rawBody: Buffer): boolean;
  verifyRefundCallback?(input: CallbackInput<C>): Promise<VerifiedRefundCallback>;
}
