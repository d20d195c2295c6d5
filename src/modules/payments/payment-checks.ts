/**
 * Pure checks of what a provider says against what we asked for. Any difference means the
 * notification is not about the payment we think (or was tampered with upstream): reject it,
 * record it, change nothing.
 */
export interface ProviderClaim {
  amountFen?: number;
  currency?: string;
  merchantId?: string;
}

export interface ExpectedPayment {
  amountFen: number;
  currency: string;
  merchantId: string;
}

export type ClaimMismatch = 'amount' | 'currency' | 'merchant';

export function claimMismatch(claim: ProviderClaim, expected: ExpectedPayment): ClaimMismatch | null {
  // merchant first: a notification for another merchant says nothing about our payment at all
  if (claim.merchantId !== undefined && claim.merchantId !== expected.merchantId) return 'merchant';
  if (claim.currency !== undefined && claim.currency !== expected.currency) return 'currency';
  if (claim.amountFen !== undefined && claim.amountFen !== expected.amountFen) return 'amount';
  return null;
}

/** Our payment number: `P` + 31 hex of the payment id (WeChat allows 32 characters). */
export function outTradeNoOf(paymentId: string): string {
  return `P${paymentId.replaceAll('-', '').slice(0, 31)}`;
}

/** Our refund number: `R` + 31 hex of the refund id. */
export function outRefundNoOf(refundId: string): string {
  return `R${refundId.replaceAll('-', '').slice(0, 31)}`;
}

export interface RefundClaim {
  outTradeNo?: string;
  refundFen?: number;
  merchantId?: string;
}

export interface ExpectedRefund {
  outTradeNo: string;
  refundFen: number;
  merchantId: string;
}

/**
 * The same for a refund: a report naming another merchant, another payment or another amount
 * than the refund we sent is not about it (`unknown_refund`: the number is ours, the payment not).
 */
export function refundClaimMismatch(
  claim: RefundClaim,
  expected: ExpectedRefund,
): 'merchant' | 'unknown_refund' | 'amount' | null {
  if (claim.merchantId !== undefined && claim.merchantId !== expected.merchantId) return 'merchant';
  if (claim.outTradeNo !== undefined && claim.outTradeNo !== expected.outTradeNo) return 'unknown_refund';
  if (claim.refundFen !== undefined && claim.refundFen !== expected.refundFen) return 'amount';
  return null;
}
