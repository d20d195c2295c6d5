import { Injectable } from '@nestjs/common';
import type { JournalTransaction } from '../../generated/prisma/client';
import { TenantContext } from '../../platform/database/tenant-context';
import { FUNDS_ACCOUNT_PREFIXES } from './ledger-accounts';
import type { Posting } from './ledger-postings';

/** The journal: INSERT and SELECT only (the app role has no other grant on it). */
@Injectable()
export class LedgerRepository {
  constructor(private readonly tenantContext: TenantContext) {}

  private get db() {
    return this.tenantContext.db();
  }

  findByReference(kind: string, reference: string): Promise<JournalTransaction | null> {
    return this.db.journalTransaction.findFirst({ where: { kind, reference } });
  }

  /**
   * Inserts the transaction and its lines in ONE statement; a transaction with the same (kind,
   * reference) already there makes it insert nothing and return null (posted once, whoever asks).
   */
  /** Either kind of unit of work. */
  async insertOnce(p: Posting): Promise<string | null> {
    const rows = await this.tenantContext.query<{ id: string }>(
      `WITH tx AS (
         INSERT INTO journal_transactions (tenant_id, kind, order_id, reference, memo)
         VALUES ($1::uuid, $2, $3::uuid, $4, $5)
         ON CONFLICT (tenant_id, kind, reference) WHERE reference IS NOT NULL DO NOTHING
         RETURNING id
       ), lines AS (
         INSERT INTO journal_entries (tenant_id, transaction_id, line_no, account, amount_fen)
         SELECT $1::uuid, tx.id, l.line_no::int, l.account, l.amount_fen
           FROM tx, unnest($6::text[], $7::bigint[]) WITH ORDINALITY AS l(account, amount_fen, line_no)
       )
       SELECT id FROM tx`,
      [
        this.tenantContext.tenantId(),
        p.kind,
        p.orderId ?? null,
        p.reference ?? null,
        p.memo,
        p.lines.map((l) => l.account),
        p.lines.map((l) => String(l.amountFen)),
      ],
    );
    return rows[0]?.id ?? null;
  }

  async balance(account: string): Promise<number> {
    const r = await this.db.journalEntry.aggregate({ where: { account }, _sum: { amountFen: true } });
    return Number(r._sum.amountFen ?? 0n);
  }

  /** Sum of payment/refund lines on funds accounts of one order's transactions. */
  async orderFundsNet(orderId: string): Promise<number> {
    const rows = await this.db.$queryRaw<{ net: bigint | null }[]>`
      SELECT sum(e.amount_fen) AS net
        FROM journal_entries e
        JOIN journal_transactions t ON t.tenant_id = e.tenant_id AND t.id = e.transaction_id
       WHERE t.order_id = ${orderId}::uuid
         AND t.kind IN ('payment', 'cash_collection', 'refund')
         AND (e.account LIKE ${FUNDS_ACCOUNT_PREFIXES[0] + '%'}
              OR e.account LIKE ${FUNDS_ACCOUNT_PREFIXES[1] + '%'}
              OR e.account LIKE ${FUNDS_ACCOUNT_PREFIXES[2] + '%'})`;
    return Number(rows[0]?.net ?? 0n);
  }

  /** Per-transaction sums that are not zero (must always be empty) and the overall sum. */
  async audit(): Promise<{
    unbalanced: { transactionId: string; sum: number }[];
    total: number;
    transactions: number;
  }> {
    const unbalanced = await this.db.$queryRaw<{ transaction_id: string; sum: bigint }[]>`
      SELECT transaction_id, sum(amount_fen) AS sum FROM journal_entries
       GROUP BY transaction_id HAVING sum(amount_fen) <> 0`;
    const totals = await this.db.$queryRaw<{ total: bigint | null; transactions: bigint }[]>`
      SELECT (SELECT sum(amount_fen) FROM journal_entries) AS total,
             (SELECT count(*) FROM journal_transactions) AS transactions`;
    return {
      unbalanced: unbalanced.map((u) => ({ transactionId: u.transaction_id, sum: Number(u.sum) })),
      total: Number(totals[0]?.total ?? 0n),
      transactions: Number(totals[0]?.transactions ?? 0n),
    };
  }
}
