/**
 * Ledger account codes. An account is a text code, optionally bound to one customer, order or
 * technician by a uuid suffix; the database CHECK on `journal_entries.account` accepts exactly
 * these shapes. Amounts are signed fen: debit +, credit −.
 *
 * Normal balances: clearing / cash_on_hand / wallet_funding are assets (debit); customer_wallet,
 * order_liability, technician_payable are owed to someone (credit); store_revenue and
 * platform_fee are earned (credit).
 */
export type ClearingProvider = 'wechat' | 'alipay' | 'sandbox' | 'cash';

export const Accounts = {
  clearing: (provider: ClearingProvider) => `clearing:${provider}`,
  customerWallet: (customerId: string) => `customer_wallet:${customerId}`,
  orderLiability: (orderId: string) => `order_liability:${orderId}`,
  technicianPayable: (technicianId: string) => `technician_payable:${technicianId}`,
  cashOnHand: (technicianId: string) => `cash_on_hand:${technicianId}`,
  storeRevenue: 'store_revenue',
  platformFee: 'platform_fee',
  walletFunding: 'wallet_funding',
  /** money paid out to technicians (提现), by the payout reference */
  technicianPayouts: 'technician_payouts',
  /** shared pool, giving store: what fulfilling by another store cost (debit), owed to the network (credit) */
  poolExpense: 'pool_expense',
  poolPayable: 'pool_payable',
  /** shared pool, taking store: owed by the network (debit), earned from it (credit) */
  poolReceivable: 'pool_receivable',
  poolRevenue: 'pool_revenue',
} as const;

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
export const ACCOUNT_PATTERN = new RegExp(
  `^(clearing:(wechat|alipay|sandbox|cash)|store_revenue|platform_fee|wallet_funding|technician_payouts` +
    `|pool_payable|pool_expense|pool_receivable|pool_revenue` +
    `|(customer_wallet|order_liability|technician_payable|cash_on_hand):${UUID})$`,
);

export function isAccount(code: string): boolean {
  return ACCOUNT_PATTERN.test(code);
}

/**
 * Accounts through which customer money enters or leaves the store. An order's "ledger net"
 * (what it has really received) is the sum of its payment/refund lines on these accounts.
 */
export const FUNDS_ACCOUNT_PREFIXES = ['clearing:', 'customer_wallet:', 'cash_on_hand:'] as const;
