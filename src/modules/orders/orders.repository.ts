import { Injectable } from '@nestjs/common';
import type { Order, OrderEvent, OrderSettings, Prisma, RefundRequest } from '../../generated/prisma/client';
import { TenantContext } from '../../platform/database/tenant-context';
import { CurrentStore } from '../../platform/tenancy/current-store';

export type NewOrder = Omit<Prisma.OrderUncheckedCreateInput, 'tenantId'>;
export type NewOrderEvent = Omit<Prisma.OrderEventUncheckedCreateInput, 'tenantId' | 'id' | 'createdAt'>;

/** The only file of the orders module touching orders, events, counters and settings. */
@Injectable()
export class OrdersRepository {
  constructor(
    private readonly tenantContext: TenantContext,
    private readonly currentStore: CurrentStore,
  ) {}

  private get tenantId(): string {
    return this.tenantContext.tenantId();
  }

  private get db() {
    return this.tenantContext.db();
  }

  /**
   * Serialises requests carrying the same Idempotency-Key for the rest of the transaction: the
   * second waits here until the first commits (then finds its order) or rolls back (then books).
   */
  async lockIdempotencyKey(customerId: string, key: string): Promise<void> {
    const lockKey = `${this.tenantId}:${customerId}:${key}`;
    await this.db.$queryRaw`SELECT pg_advisory_xact_lock(hashtextextended(${lockKey}, 0))::text`;
  }

  findByIdempotencyKey(customerId: string, key: string): Promise<Order | null> {
    return this.db.order.findUnique({
      where: { tenantId_customerId_idempotencyKey: { tenantId: this.tenantId, customerId, idempotencyKey: key } },
    });
  }

  findByQuote(quoteId: string): Promise<Order | null> {
    return this.db.order.findUnique({ where: { tenantId_quoteId: { tenantId: this.tenantId, quoteId } } });
  }

  settings(): Promise<OrderSettings | null> {
    return this.db.orderSettings.findUnique({ where: { tenantId: this.tenantId } });
  }

  upsertSettings(
    data: Omit<Prisma.OrderSettingsUncheckedCreateInput, 'tenantId' | 'updatedAt'>,
  ): Promise<OrderSettings> {
    const tenantId = this.tenantId;
    return this.db.orderSettings.upsert({ where: { tenantId }, create: { ...data, tenantId }, update: data });
  }

  async store(): Promise<{ slug: string; timezone: string }> {
    const { slug, timezone } = await this.currentStore.info();
    return { slug, timezone };
  }

  /** Next number of the store's local day; the row lock keeps it gap-free until commit. */
  async nextSequence(localDate: string): Promise<number> {
    const rows = await this.db.$queryRaw<Array<{ last_seq: number }>>`
      INSERT INTO order_number_counters (tenant_id, local_date, last_seq)
      VALUES (${this.tenantId}::uuid, ${localDate}::date, 1)
      ON CONFLICT (tenant_id, local_date) DO UPDATE SET last_seq = order_number_counters.last_seq + 1
      RETURNING last_seq`;
    return rows[0]!.last_seq;
  }

  create(data: NewOrder): Promise<Order> {
    return this.db.order.create({ data: { ...data, tenantId: this.tenantId } });
  }

  /** Locks the order row for the rest of the transaction; null when it does not exist here. */
  async lock(id: string): Promise<Order | null> {
    const rows = await this.db.$queryRaw<Array<{ id: string }>>`
      SELECT id FROM orders WHERE tenant_id = ${this.tenantId}::uuid AND id = ${id}::uuid FOR UPDATE`;
    if (rows.length === 0) return null;
    return this.db.order.findUnique({ where: { tenantId_id: { tenantId: this.tenantId, id } } });
  }

  update(id: string, data: Prisma.OrderUncheckedUpdateInput): Promise<Order> {
    return this.db.order.update({ where: { tenantId_id: { tenantId: this.tenantId, id } }, data });
  }

  insertEvent(e: NewOrderEvent): Promise<OrderEvent> {
    return this.db.orderEvent.create({ data: { ...e, tenantId: this.tenantId } });
  }

  findOne(where: Prisma.OrderWhereInput, id: string): Promise<Order | null> {
    return this.db.order.findFirst({ where: { AND: [{ tenantId: this.tenantId, id }, where] } });
  }

  /** Newest first; keyset on (created_at, id) via the id tiebreak of the last row. */
  list(where: Prisma.OrderWhereInput, take: number): Promise<Order[]> {
    return this.db.order.findMany({
      where: { AND: [{ tenantId: this.tenantId }, where] },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take,
    });
  }

  events(orderId: string): Promise<OrderEvent[]> {
    return this.db.orderEvent.findMany({
      where: { tenantId: this.tenantId, orderId },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
  }

  insertExtension(data: Omit<Prisma.OrderExtensionUncheckedCreateInput, 'tenantId'>) {
    return this.db.orderExtension.create({ data: { ...data, tenantId: this.tenantId } });
  }

  activeAddon(id: string) {
    return this.db.serviceAddon.findFirst({ where: { tenantId: this.tenantId, id, active: true } });
  }

  /** Locks an extension row; null when it does not exist here. */
  async lockExtension(id: string) {
    const rows = await this.db.$queryRaw<Array<{ id: string }>>`
      SELECT id FROM order_extensions WHERE tenant_id = ${this.tenantId}::uuid AND id = ${id}::uuid FOR UPDATE`;
    if (rows.length === 0) return null;
    return this.db.orderExtension.findUnique({ where: { tenantId_id: { tenantId: this.tenantId, id } } });
  }

  updateExtension(id: string, data: Prisma.OrderExtensionUncheckedUpdateInput) {
    return this.db.orderExtension.update({ where: { tenantId_id: { tenantId: this.tenantId, id } }, data });
  }

  insertRefundRequest(data: Omit<Prisma.RefundRequestUncheckedCreateInput, 'tenantId'>): Promise<RefundRequest> {
    return this.db.refundRequest.create({ data: { ...data, tenantId: this.tenantId } });
  }
}
