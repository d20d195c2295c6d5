import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The sandbox's notification signature: HMAC-SHA256 over `timestamp\nnonce\nbody\n` (the same
 * framing WeChat Pay v3 signs) with the store's sandbox key, hex in `x-sandbox-signature`.
 */
export const SANDBOX_HEADERS = {
  timestamp: 'x-sandbox-timestamp',
  nonce: 'x-sandbox-nonce',
  signature: 'x-sandbox-signature',
} as const;

export function sandboxSign(key: string, timestamp: string, nonce: string, body: Buffer | string): string {
  return createHmac('sha256', key).update(`${timestamp}\n${nonce}\n`).update(body).update('\n').digest('hex');
}

export function sandboxSignatureValid(
  key: string,
  timestamp: string,
  nonce: string,
  body: Buffer,
  given: string,
): boolean {
  const expected = Buffer.from(sandboxSign(key, timestamp, nonce, body), 'hex');
  const actual = Buffer.from(given, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** What the sandbox gateway notifies (JSON body). */
export interface SandboxNotification {
  outTradeNo: string;
  providerTradeNo: string;
  status: 'succeeded' | 'failed';
  amountFen: number;
  currency: string;
  merchantId: string;
  paidAt: string;
}

/** What the sandbox gateway notifies about a refund it settled (JSON body, same signature). */
export interface SandboxRefundNotification {
  outRefundNo: string;
  outTradeNo: string;
  providerRefundNo: string;
  status: 'succeeded' | 'failed';
  refundFen: number;
  merchantId: string;
  succeededAt: string | null;
}
