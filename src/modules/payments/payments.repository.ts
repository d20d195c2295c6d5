import { Injectable } from '@nestjs/common';
import { Prisma, type Payment, type PaymentMismatch } from '../../generated/prisma/client';
import { TenantContext } from '../../platform/database/tenant-context';

/** The slice of an order the payments module reads (the orders module owns the row). */
export interface OrderForPayment {
  id: string;
  customerId: string;
  technicianId: string | null;
  status: string;
  paymentMethod: string;
  totalFen: number;
  paidFen: number;
  refundedFen: number;
  paidAt: Date | null;
  orderNo: string;
}

export interface CallbackLogEntry {
  provider: string;
  source: 'callback' | 'query';
  paymentId: string | null;
  outTradeNo: string | null;
  outcome: 'applied' | 'replay' | 'rejected' | 'ignored';
  reason: string | null;
  bodySha256: string | null;
  /** set when the notification or query was about a refund */
  refundId?: string | null;
}

export interface MismatchEntry {
  provider: string;
  source: 'callback' | 'query';
  kind:
    | 'amount'
    | 'currency'
    | 'merchant'
    | 'unknown_trade'
    | 'paid_but_cancelled'
    | 'duplicate_payment'
    | 'status'
    | 'unknown_refund';
  paymentId: string | null;
  outTradeNo: string | null;
  details: Record<string, unknown>;
}

const PAYMENT_COLUMNS = `tenant_id AS "tenantId", id, order_id AS "orderId", extension_id AS "extensionId", kind,
  provider, channel, out_trade_no AS "outTradeNo", amount_fen AS "amountFen", currency, status,
  provider_trade_no AS "providerTradeNo", merchant_id AS "merchantId", customer_id AS "customerId", paid_at AS "paidAt",
  callback_count AS "callbackCount", query_count AS "queryCount", created_at AS "createdAt", updated_at AS "updatedAt"`;

/** The payment_callbacks INSERT, its values from `$n` on (`$1` is the tenant), for callbackLogValues(). */
const insertCallbackLog = (n: number) =>
  `INSERT INTO payment_callbacks (tenant_id, provider, source, payment_id, out_trade_no, outcome, reason,
                                  body_sha256, received_at, refund_id)
   VALUES ($1::uuid, $${n}, $${n + 1}, $${n + 2}::uuid, $${n + 3}, $${n + 4}, $${n + 5}, $${n + 6}, $${n + 7},
           $${n + 8}::uuid)`;

const callbackLogValues = (e: CallbackLogEntry) => [
  e.provider,
  e.source,
  e.paymentId,
  e.outTradeNo,
  e.outcome,
  e.reason,
  e.bodySha256,
  new Date(),
  e.refundId ?? null,
];

@Injectable()
export class PaymentsRepository {
  constructor(private readonly tenantContext: TenantContext) {}

  private get db() {
    return this.tenantContext.db();
  }

  /**
   * Locks the order row for the rest of the unit of work (pay, callbacks, refunds serialise on
   * it); with `customerId`, only that customer's order. Either kind of unit of work.
   */
  async lockOrder(orderId: string, customerId?: string): Promise<OrderForPayment | null> {
    const rows = await this.tenantContext.query<OrderForPayment>(
      `SELECT id, customer_id AS "customerId", technician_id AS "technicianId", status,
              payment_method AS "paymentMethod", total_fen AS "totalFen", paid_fen AS "paidFen",
              refunded_fen AS "refundedFen", paid_at AS "paidAt", order_no AS "orderNo"
         FROM orders WHERE tenant_id = $1::uuid AND id = $2::uuid AND ($3::uuid IS NULL OR customer_id = $3::uuid)
          FOR UPDATE`,
      [this.tenantContext.tenantId(), orderId, customerId ?? null],
    );
    return rows[0] ?? null;
  }

  /**
   * 到付: cash collected by the technician. The order's status does not move (the visit goes on);
   * only what it has received does. Guarded so a second confirmation changes nothing.
   */
  async recordCashReceived(orderId: string, paymentId: string, amountFen: number, at: Date): Promise<boolean> {
    const n = await this.db.$executeRaw`
      UPDATE orders SET paid_fen = paid_fen + ${amountFen}, payment_id = ${paymentId}, paid_at = ${at}
       WHERE id = ${orderId}::uuid AND paid_at IS NULL`;
    return n === 1;
  }

  async extensionStatus(extensionId: string): Promise<string | null> {
    const e = await this.db.orderExtension.findFirst({ where: { id: extensionId }, select: { status: true } });
    return e?.status ?? null;
  }

  findExtension(orderId: string, extensionId: string) {
    return this.db.orderExtension.findFirst({ where: { id: extensionId, orderId } });
  }

  /** Serialises spending of one customer's wallet for the rest of the unit of work. */
  async lockWallet(customerId: string): Promise<void> {
    await this.db.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${'wallet:' + customerId}, 0))`;
  }

  create(data: Omit<Prisma.PaymentUncheckedCreateInput, 'tenantId'>): Promise<Payment> {
    return this.db.payment.create({ data: { ...data, tenantId: this.tenantContext.tenantId() } });
  }

  /** A new pending provider payment (pay's plain-SQL path; the same row create() would write). */
  async createPending(d: {
    id: string;
    orderId: string;
    kind: 'charge';
    provider: string;
    channel: string;
    outTradeNo: string;
    amountFen: number;
    merchantId: string;
    customerId: string;
  }): Promise<Payment> {
    const rows = await this.tenantContext.query<Payment>(
      `INSERT INTO payments (tenant_id, id, order_id, kind, provider, channel, out_trade_no, amount_fen, currency,
                             merchant_id, customer_id)
       VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5, $6, $7, $8, 'CNY', $9, $10::uuid)
       RETURNING ${PAYMENT_COLUMNS}`,
      [
        this.tenantContext.tenantId(),
        d.id,
        d.orderId,
        d.kind,
        d.provider,
        d.channel,
        d.outTradeNo,
        d.amountFen,
        d.merchantId,
        d.customerId,
      ],
    );
    return rows[0]!;
  }

  find(id: string): Promise<Payment | null> {
    return this.db.payment.findFirst({ where: { id } });
  }

  async findPendingFor(
    orderId: string,
    provider: string,
    extensionId: string | null,
    createdSince: Date,
  ): Promise<Payment | null> {
    const rows = await this.tenantContext.query<Payment>(
      `SELECT ${PAYMENT_COLUMNS} FROM payments
        WHERE tenant_id = $1::uuid AND order_id = $2::uuid AND provider = $3 AND status = 'pending'
          AND extension_id IS NOT DISTINCT FROM $4::uuid AND created_at >= $5::timestamptz
        ORDER BY created_at DESC LIMIT 1`,
      [this.tenantContext.tenantId(), orderId, provider, extensionId, createdSince],
    );
    return rows[0] ?? null;
  }

  succeededChargeOf(orderId: string): Promise<Payment | null> {
    return this.db.payment.findFirst({
      where: { orderId, status: 'succeeded', kind: 'charge' },
      orderBy: { paidAt: 'asc' },
    });
  }

  listForOrder(orderId: string): Promise<Payment[]> {
    return this.db.payment.findMany({ where: { orderId }, orderBy: { createdAt: 'asc' } });
  }

  /** Locks and reads the payment in one statement (callbacks are the hot path). */
  async lockByOutTradeNo(outTradeNo: string): Promise<Payment | null> {
    const rows = await this.tenantContext.query<Payment>(
      `SELECT ${PAYMENT_COLUMNS} FROM payments WHERE tenant_id = $1::uuid AND out_trade_no = $2 FOR UPDATE`,
      [this.tenantContext.tenantId(), outTradeNo],
    );
    return rows[0] ?? null;
  }

  async findByOutTradeNo(outTradeNo: string): Promise<Payment | null> {
    const rows = await this.tenantContext.query<Payment>(
      `SELECT ${PAYMENT_COLUMNS} FROM payments WHERE tenant_id = $1::uuid AND out_trade_no = $2`,
      [this.tenantContext.tenantId(), outTradeNo],
    );
    return rows[0] ?? null;
  }

  /**
   * A provider's success applied: status, its trade number, when, and the counter of the source;
   * with `log`, the same statement also writes that log row (what logCallback would write).
   */
  async markSucceeded(
    id: string,
    source: 'callback' | 'query',
    providerTradeNo: string | null,
    paidAt: Date,
    log?: CallbackLogEntry,
  ): Promise<void> {
    const counter = source === 'callback' ? 'callback_count' : 'query_count';
    const update = `UPDATE payments SET ${counter} = ${counter} + 1, status = 'succeeded', provider_trade_no = $3, paid_at = $4
        WHERE tenant_id = $1::uuid AND id = $2::uuid`;
    const params = [this.tenantContext.tenantId(), id, providerTradeNo, paidAt];
    if (!log) await this.tenantContext.query(update, params);
    else
      await this.tenantContext.query(`WITH paid AS (${update}) ${insertCallbackLog(5)}`, [
        ...params,
        ...callbackLogValues(log),
      ]);
  }

  update(id: string, data: Prisma.PaymentUncheckedUpdateManyInput): Promise<Payment> {
    const tenantId = this.tenantContext.tenantId();
    return this.db.payment.update({ where: { tenantId_id: { tenantId, id } }, data });
  }

  /** Payments of async providers still pending, created before `before` (reconciliation). */
  overduePending(before: Date, limit: number): Promise<Payment[]> {
    return this.db.payment.findMany({
      where: { status: 'pending', provider: { in: ['wechat', 'alipay', 'sandbox'] }, createdAt: { lt: before } },
      orderBy: { createdAt: 'asc' },
      take: limit,
    });
  }

  async logCallback(e: CallbackLogEntry): Promise<void> {
    await this.tenantContext.query(insertCallbackLog(2), [this.tenantContext.tenantId(), ...callbackLogValues(e)]);
  }

  /** Fen of this payment refunded or on its way back (refunds approved, processing or succeeded). */
  async refundedOrRefundingFen(paymentId: string): Promise<number> {
    const sum = await this.db.refund.aggregate({
      where: { paymentId, status: { in: ['approved', 'processing', 'succeeded'] } },
      _sum: { amountFen: true },
    });
    return sum._sum.amountFen ?? 0;
  }

  /** Records a finding once (a replayed notification does not repeat it). */
  async recordMismatch(m: MismatchEntry): Promise<void> {
    const tenantId = this.tenantContext.tenantId();
    await this.db.$executeRaw`
      INSERT INTO payment_mismatches (tenant_id, provider, source, kind, payment_id, out_trade_no, details)
      VALUES (${tenantId}::uuid, ${m.provider}, ${m.source}, ${m.kind}, ${m.paymentId}::uuid, ${m.outTradeNo},
              ${JSON.stringify(m.details)}::jsonb)
      ON CONFLICT (tenant_id, kind, out_trade_no, source) WHERE resolved_at IS NULL DO NOTHING`;
  }

  mismatches(since: Date | undefined, limit: number): Promise<PaymentMismatch[]> {
    return this.db.paymentMismatch.findMany({
      where: since ? { createdAt: { gte: since } } : {},
      orderBy: { createdAt: 'desc' },
      take: limit,
    });
  }

  async callbackCounts(since: Date | undefined): Promise<{ source: string; outcome: string; count: number }[]> {
    const rows = await this.db.paymentCallback.groupBy({
      by: ['source', 'outcome'],
      where: since ? { receivedAt: { gte: since } } : {},
      _count: { _all: true },
    });
    return rows.map((r) => ({ source: r.source, outcome: r.outcome, count: r._count._all }));
  }

  async paymentCounts(since: Date | undefined): Promise<{ status: string; count: number }[]> {
    const rows = await this.db.payment.groupBy({
      by: ['status'],
      where: since ? { createdAt: { gte: since } } : {},
      _count: { _all: true },
    });
    return rows.map((r) => ({ status: r.status, count: r._count._all }));
  }
}
