import { Accounts, isAccount, type ClearingProvider } from './ledger-accounts';

/**
 * Pure builders of the journal transactions the money paths post. Each returns a balanced
 * Posting (lines sum to zero, zero lines dropped); `assertBalanced` refuses anything else before
 * it reaches the database, whose deferred trigger would refuse it again at commit.
 */
export type JournalKind =
  | 'payment'
  | 'refund'
  | 'cancellation_fee'
  | 'order_settlement'
  | 'cash_collection'
  | 'wallet_topup'
  | 'overpayment'
  | 'correction'
  | 'technician_payout'
  | 'pool_settlement';

export interface PostingLine {
  account: string;
  /** signed fen: debit +, credit − */
  amountFen: number;
}

export interface Posting {
  kind: JournalKind;
  orderId?: string | null;
  /** payment / refund / request id: (kind, reference) is unique, so a movement posts once */
  reference?: string | null;
  memo: string;
  lines: PostingLine[];
}

export class UnbalancedPostingError extends Error {}

export function assertBalanced(p: Posting): Posting {
  const lines = p.lines.filter((l) => l.amountFen !== 0);
  for (const l of lines) {
    if (!Number.isSafeInteger(l.amountFen)) throw new UnbalancedPostingError(`non-integer amount on ${l.account}`);
    if (!isAccount(l.account)) throw new UnbalancedPostingError(`unknown account ${l.account}`);
  }
  if (lines.length < 2) throw new UnbalancedPostingError(`${p.kind}: a transaction needs two lines`);
  const sum = lines.reduce((s, l) => s + l.amountFen, 0);
  if (sum !== 0) throw new UnbalancedPostingError(`${p.kind}: lines sum to ${sum}, not 0`);
  return { ...p, lines };
}

const positive = (n: number, what: string) => {
  if (!Number.isSafeInteger(n) || n <= 0) throw new UnbalancedPostingError(`${what} must be a positive fen amount`);
  return n;
};

/** Where a payment's money sits: the provider's clearing account, the wallet, or the technician's pocket. */
export type FundsSource =
  | { kind: 'provider'; provider: Exclude<ClearingProvider, 'cash'> }
  | { kind: 'wallet'; customerId: string }
  | { kind: 'cash'; technicianId: string };

function sourceAccount(s: FundsSource): string {
  if (s.kind === 'provider') return Accounts.clearing(s.provider);
  if (s.kind === 'wallet') return Accounts.customerWallet(s.customerId);
  return Accounts.cashOnHand(s.technicianId);
}

/** Money received for an order: the source is debited, the order's liability credited. */
export function paymentReceived(a: {
  source: FundsSource;
  paymentId: string;
  orderId: string;
  amountFen: number;
}): Posting {
  const amount = positive(a.amountFen, 'payment');
  const kind: JournalKind = a.source.kind === 'cash' ? 'cash_collection' : 'payment';
  return assertBalanced({
    kind,
    orderId: a.orderId,
    reference: a.paymentId,
    memo: `payment ${a.paymentId} via ${a.source.kind === 'provider' ? a.source.provider : a.source.kind}`,
    lines: [
      { account: sourceAccount(a.source), amountFen: amount },
      { account: Accounts.orderLiability(a.orderId), amountFen: -amount },
    ],
  });
}

/**
 * Money given back. Provider refunds leave through the provider's clearing account, balance
 * refunds go back to the wallet, cash refunds are paid out by the store (clearing:cash). The
 * money comes out of what the order still holds; whatever exceeds that (the order was already
 * settled) is taken back from store revenue — the store bears refunds after settlement.
 */
export function refundPaid(a: {
  source: FundsSource;
  refundId: string;
  orderId: string;
  amountFen: number;
  /** what the order's liability account still holds (−balance); defaults to all of the refund */
  heldFen?: number;
}): Posting {
  const amount = positive(a.amountFen, 'refund');
  const fromOrder = Math.max(0, Math.min(amount, a.heldFen ?? amount));
  const to = a.source.kind === 'cash' ? Accounts.clearing('cash') : sourceAccount(a.source);
  return assertBalanced({
    kind: 'refund',
    orderId: a.orderId,
    reference: a.refundId,
    memo: `refund ${a.refundId}`,
    lines: [
      { account: Accounts.orderLiability(a.orderId), amountFen: fromOrder },
      { account: Accounts.storeRevenue, amountFen: amount - fromOrder },
      { account: to, amountFen: -amount },
    ],
  });
}

/** The fee a late cancellation keeps, split between the store and the departed technician. */
export function cancellationFee(a: {
  orderId: string;
  requestId: string;
  storeShareFen: number;
  technicianShareFen: number;
  technicianId: string | null;
}): Posting | null {
  const fee = a.storeShareFen + a.technicianShareFen;
  if (fee === 0) return null;
  if (a.technicianShareFen > 0 && !a.technicianId)
    throw new UnbalancedPostingError('technician share without technician');
  return assertBalanced({
    kind: 'cancellation_fee',
    orderId: a.orderId,
    reference: a.requestId,
    memo: `cancellation fee of order ${a.orderId}`,
    lines: [
      { account: Accounts.orderLiability(a.orderId), amountFen: fee },
      { account: Accounts.storeRevenue, amountFen: -a.storeShareFen },
      ...(a.technicianId
        ? [{ account: Accounts.technicianPayable(a.technicianId), amountFen: -a.technicianShareFen }]
        : []),
    ],
  });
}

export interface SettlementSplit {
  technicianFen: number;
  platformFeeFen: number;
  storeFen: number;
}

/** Rates in basis points; rounding down on the technician's and platform's shares, the rest is the store's. */
export function settlementSplit(amountFen: number, commissionBps: number, platformFeeBps: number): SettlementSplit {
  const technicianFen = Math.floor((amountFen * commissionBps) / 10_000);
  const platformFeeFen = Math.floor((amountFen * platformFeeBps) / 10_000);
  const storeFen = amountFen - technicianFen - platformFeeFen;
  if (storeFen < 0) throw new UnbalancedPostingError('commission and platform fee exceed 100%');
  return { technicianFen, platformFeeFen, storeFen };
}

/** A completed order earns what it still holds: technician earning, platform fee, store revenue. */
export function orderSettlement(a: {
  orderId: string;
  technicianId: string;
  heldFen: number;
  commissionBps: number;
  platformFeeBps: number;
}): Posting | null {
  if (a.heldFen === 0) return null;
  const s = settlementSplit(positive(a.heldFen, 'settlement'), a.commissionBps, a.platformFeeBps);
  return assertBalanced({
    kind: 'order_settlement',
    orderId: a.orderId,
    reference: a.orderId,
    memo: `settlement of order ${a.orderId}`,
    lines: [
      { account: Accounts.orderLiability(a.orderId), amountFen: a.heldFen },
      { account: Accounts.technicianPayable(a.technicianId), amountFen: -s.technicianFen },
      { account: Accounts.platformFee, amountFen: -s.platformFeeFen },
      { account: Accounts.storeRevenue, amountFen: -s.storeFen },
    ],
  });
}

/** Stored value credited to a customer (top-up packages come later; also used by tests and seeds). */
export function walletTopUp(a: { customerId: string; amountFen: number; reference: string; memo?: string }): Posting {
  const amount = positive(a.amountFen, 'top-up');
  return assertBalanced({
    kind: 'wallet_topup',
    reference: a.reference,
    memo: a.memo ?? `wallet top-up ${a.reference}`,
    lines: [
      { account: Accounts.walletFunding, amountFen: amount },
      { account: Accounts.customerWallet(a.customerId), amountFen: -amount },
    ],
  });
}

/** A second successful payment for an order that no longer takes one: the money is the customer's. */
export function overpayment(a: {
  provider: Exclude<ClearingProvider, 'cash'>;
  paymentId: string;
  customerId: string;
  amountFen: number;
}): Posting {
  const amount = positive(a.amountFen, 'overpayment');
  return assertBalanced({
    kind: 'overpayment',
    reference: a.paymentId,
    memo: `payment ${a.paymentId} arrived for an order that was no longer payable; credited to the wallet`,
    lines: [
      { account: Accounts.clearing(a.provider), amountFen: amount },
      { account: Accounts.customerWallet(a.customerId), amountFen: -amount },
    ],
  });
}

/** A withdrawal paid out to the technician: their payable shrinks, the money has left the store. */
export function technicianPayout(a: {
  technicianId: string;
  withdrawalId: string;
  amountFen: number;
  reference: string;
}): Posting {
  const amount = positive(a.amountFen, 'payout');
  return assertBalanced({
    kind: 'technician_payout',
    reference: a.withdrawalId,
    memo: `withdrawal ${a.withdrawalId} paid, ref ${a.reference}`.slice(0, 200),
    lines: [
      { account: Accounts.technicianPayable(a.technicianId), amountFen: amount },
      { account: Accounts.technicianPayouts, amountFen: -amount },
    ],
  });
}
