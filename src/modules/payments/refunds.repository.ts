import { Injectable } from '@nestjs/common';
import type { Payment, Prisma, Refund, RefundRequest } from '../../generated/prisma/client';
import { TenantContext } from '../../platform/database/tenant-context';
import type { MismatchEntry } from './payments.repository';
import { IN_FLIGHT_REFUND_STATUSES } from './refund-rules';

/** A finding about a refund: which refund, and what the provider said. */
export interface RefundMismatchEntry extends Omit<MismatchEntry, 'outTradeNo'> {
  refundId: string | null;
  outRefundNo: string;
}

@Injectable()
export class RefundsRepository {
  constructor(private readonly tenantContext: TenantContext) {}

  private get db() {
    return this.tenantContext.db();
  }

  create(data: Omit<Prisma.RefundUncheckedCreateInput, 'tenantId'>): Promise<Refund> {
    return this.db.refund.create({ data: { ...data, tenantId: this.tenantContext.tenantId() } });
  }

  find(id: string): Promise<Refund | null> {
    return this.db.refund.findFirst({ where: { id } });
  }

  async lock(id: string): Promise<Refund | null> {
    const rows = await this.db.$queryRaw<{ id: string }[]>`SELECT id FROM refunds WHERE id = ${id}::uuid FOR UPDATE`;
    return rows[0] ? this.find(id) : null;
  }

  /** The store's slug (the tenants table is the public store directory). */
  async storeSlug(): Promise<string> {
    const t = await this.db.tenant.findUnique({ where: { id: this.tenantContext.tenantId() }, select: { slug: true } });
    if (!t) throw new Error('the current store does not exist');
    return t.slug;
  }

  findByOutRefundNo(outRefundNo: string): Promise<Refund | null> {
    return this.db.refund.findFirst({ where: { outRefundNo } });
  }

  /** Records a finding once (a replayed notification or a repeated query does not repeat it). */
  async recordMismatch(m: RefundMismatchEntry): Promise<void> {
    const tenantId = this.tenantContext.tenantId();
    await this.db.$executeRaw`
      INSERT INTO payment_mismatches (tenant_id, provider, source, kind, payment_id, refund_id, out_refund_no, details)
      VALUES (${tenantId}::uuid, ${m.provider}, ${m.source}, ${m.kind}, ${m.paymentId}::uuid, ${m.refundId}::uuid,
              ${m.outRefundNo}, ${JSON.stringify(m.details)}::jsonb)
      ON CONFLICT (tenant_id, kind, out_refund_no, source) WHERE resolved_at IS NULL AND out_refund_no IS NOT NULL
      DO NOTHING`;
  }

  async countsByStatus(since: Date | undefined): Promise<{ status: string; count: number }[]> {
    const rows = await this.db.refund.groupBy({
      by: ['status'],
      where: since ? { createdAt: { gte: since } } : {},
      _count: { _all: true },
    });
    return rows.map((r) => ({ status: r.status, count: r._count._all }));
  }

  update(id: string, data: Prisma.RefundUncheckedUpdateManyInput): Promise<Refund> {
    return this.db.refund.update({ where: { tenantId_id: { tenantId: this.tenantContext.tenantId(), id } }, data });
  }

  listForOrder(orderId: string): Promise<Refund[]> {
    return this.db.refund.findMany({ where: { orderId }, orderBy: { createdAt: 'asc' } });
  }

  list(status: string | undefined, limit: number): Promise<Refund[]> {
    return this.db.refund.findMany({ where: status ? { status } : {}, orderBy: { createdAt: 'desc' }, take: limit });
  }

  /**
   * What is already spoken for and not yet refunded: refunds on their way (requested, approved,
   * processing) plus cancellation refund requests still pending — their refund and their fee
   * (the fee is the store's, it cannot be refunded by hand before the request is executed).
   */
  async inFlightFen(orderId: string, except: { refundId?: string; requestId?: string } = {}): Promise<number> {
    const rows = await this.db.$queryRaw<{ n: bigint | null }[]>`
      SELECT (SELECT coalesce(sum(r.amount_fen), 0) FROM refunds r
               WHERE r.order_id = ${orderId}::uuid AND r.status IN ('requested', 'approved', 'processing')
                 AND r.id IS DISTINCT FROM ${except.refundId ?? null}::uuid
                 AND NOT EXISTS (SELECT 1 FROM refund_requests q
                                  WHERE q.id = r.refund_request_id AND q.status = 'pending'))
           + (SELECT coalesce(sum(q.amount_fen + q.fee_fen), 0) FROM refund_requests q
               WHERE q.order_id = ${orderId}::uuid AND q.status = 'pending'
                 AND q.id IS DISTINCT FROM ${except.requestId ?? null}::uuid) AS n`;
    return Number(rows[0]?.n ?? 0n);
  }

  /** What is refunded, or on its way back, against one payment. */
  async claimedAgainst(paymentId: string): Promise<number> {
    const r = await this.db.refund.aggregate({
      where: { paymentId, status: { in: [...IN_FLIGHT_REFUND_STATUSES, 'succeeded'] } },
      _sum: { amountFen: true },
    });
    return r._sum.amountFen ?? 0;
  }

  /**
   * The first successful payment of the order (charge, then 加钟 supplements) that can still give
   * back `amountFen` — a refund goes back through one payment.
   */
  async paymentToRefund(orderId: string, amountFen: number): Promise<Payment | null> {
    const paid = await this.db.payment.findMany({
      where: { orderId, status: 'succeeded' },
      orderBy: { paidAt: 'asc' },
    });
    for (const p of paid) {
      if (p.amountFen - (await this.claimedAgainst(p.id)) >= amountFen) return p;
    }
    return null;
  }

  /** Refunds in flight (sent and processing, or approved and not known to be sent) not touched since `before`. */
  overdueInFlight(before: Date, limit: number): Promise<Refund[]> {
    return this.db.refund.findMany({
      where: { status: { in: ['approved', 'processing'] }, updatedAt: { lt: before } },
      orderBy: { updatedAt: 'asc' },
      take: limit,
    });
  }

  findByRequest(requestId: string): Promise<Refund | null> {
    return this.db.refund.findFirst({ where: { refundRequestId: requestId } });
  }

  pendingRequests(orderId?: string): Promise<RefundRequest[]> {
    return this.db.refundRequest.findMany({
      where: { status: 'pending', ...(orderId ? { orderId } : {}) },
      orderBy: { createdAt: 'asc' },
      take: 200,
    });
  }

  async lockRequest(id: string): Promise<RefundRequest | null> {
    const rows = await this.db.$queryRaw<
      { id: string }[]
    >`SELECT id FROM refund_requests WHERE id = ${id}::uuid FOR UPDATE`;
    return rows[0] ? this.db.refundRequest.findFirst({ where: { id } }) : null;
  }

  async setRequestStatus(id: string, status: 'executed' | 'failed'): Promise<void> {
    await this.db.refundRequest.updateMany({ where: { id }, data: { status } });
  }
}
