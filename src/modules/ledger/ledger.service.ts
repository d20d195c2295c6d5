import { Injectable } from '@nestjs/common';
import { Accounts } from './ledger-accounts';
import { assertBalanced, type Posting } from './ledger-postings';
import { LedgerRepository } from './ledger.repository';

/**
 * Posts balanced journal transactions inside the caller's unit of work (current tenant context)
 * and derives balances from the journal by SUM — no stored balance can drift from the entries.
 */
@Injectable()
export class LedgerService {
  constructor(private readonly repo: LedgerRepository) {}

  /**
   * Posts once per (kind, reference): posting the same movement again returns the first
   * transaction (INSERT … ON CONFLICT DO NOTHING on the unique (kind, reference), so even two
   * racing posts write one). Callers also hold the row lock of what they post for.
   */
  /** Returns the journal transaction's id (the first one's, when the movement was already posted). */
  async post(posting: Posting): Promise<string> {
    const p = assertBalanced(posting);
    const id = await this.repo.insertOnce(p);
    if (id) return id;
    const existing = p.reference ? await this.repo.findByReference(p.kind, p.reference) : null;
    if (!existing) throw new Error(`journal transaction ${p.kind}/${p.reference ?? '-'} was not written`);
    return existing.id;
  }

  /** Signed balance (debit +) of one account. */
  balance(account: string): Promise<number> {
    return this.repo.balance(account);
  }

  /** Stored value the customer can spend (the wallet is a credit balance). */
  async walletBalance(customerId: string): Promise<number> {
    return -(await this.repo.balance(Accounts.customerWallet(customerId)));
  }

  /** What the order still holds (received, not yet refunded or earned). */
  async orderHeld(orderId: string): Promise<number> {
    return -(await this.repo.balance(Accounts.orderLiability(orderId)));
  }

  /** What the order has received net of refunds, according to the ledger. */
  orderFundsNet(orderId: string): Promise<number> {
    return this.repo.orderFundsNet(orderId);
  }

  audit() {
    return this.repo.audit();
  }
}
