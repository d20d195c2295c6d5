import type { CreatePaymentResult, PaymentProvider, RefundInput, RefundResult } from '../payment-provider';

/**
 * Stored balance (储值). The money never leaves the store: the payments service checks the wallet
 * (a ledger account) under a per-customer lock and posts the transfer; this adapter only says
 * "done at once" and acknowledges refunds back to the wallet.
 */
export class BalanceProvider implements PaymentProvider<null> {
  readonly id = 'balance' as const;
  parseCredentials(): null {
    return null;
  }
  createPayment(): Promise<CreatePaymentResult> {
    return Promise.resolve({ kind: 'completed' });
  }
  refund(input: RefundInput<null>): Promise<RefundResult> {
    return Promise.resolve({ status: 'succeeded', providerRefundNo: `WALLET-${input.outRefundNo}` });
  }
}

/**
 * Pay on arrival (到付): the technician collects and confirms. A refund is cash the store hands
 * back: it waits (`processing`) until staff record the hand-back (CashRefundsService), which is
 * when it is booked.
 */
export class CashProvider implements PaymentProvider<null> {
  readonly id = 'cash' as const;
  parseCredentials(): null {
    return null;
  }
  createPayment(): Promise<CreatePaymentResult> {
    return Promise.resolve({ kind: 'awaiting_collection' });
  }
  refund(input: RefundInput<null>): Promise<RefundResult> {
    return Promise.resolve({ status: 'processing', providerRefundNo: `CASH-${input.outRefundNo}` });
  }
}
