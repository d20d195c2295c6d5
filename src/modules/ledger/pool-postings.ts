import { Accounts } from './ledger-accounts';
import { assertBalanced, UnbalancedPostingError, type Posting } from './ledger-postings';

/**
 * The taking store's side of a completed shared-pool order (pure): the network owes it the share
 * (pool_receivable), its technician earns their commission of it (that store's rate, rounded
 * down), the rest is the store's pool revenue. Reference = the pool offer: posted once. The giving
 * store's side is written by platform.settle_pool_order (migrations/1765442000000_pool-settlement.sql).
 */
export function poolTakerSettlement(a: {
  offerId: string;
  technicianId: string;
  shareFen: number;
  commissionBps: number;
}): Posting | null {
  if (!Number.isSafeInteger(a.shareFen) || a.shareFen < 0) {
    throw new UnbalancedPostingError('share must be a non-negative fen amount');
  }
  if (!Number.isInteger(a.commissionBps) || a.commissionBps < 0 || a.commissionBps > 10_000) {
    throw new UnbalancedPostingError('commission must be 0..10000 basis points');
  }
  if (a.shareFen === 0) return null;
  const earning = Math.floor((a.shareFen * a.commissionBps) / 10_000);
  return assertBalanced({
    kind: 'pool_settlement',
    reference: a.offerId,
    memo: `shared-pool share for offer ${a.offerId}`,
    lines: [
      { account: Accounts.poolReceivable, amountFen: a.shareFen },
      { account: Accounts.technicianPayable(a.technicianId), amountFen: -earning },
      { account: Accounts.poolRevenue, amountFen: earning - a.shareFen },
    ],
  });
}
