import { Injectable } from '@nestjs/common';
import type { Order, OrderExtension, Prisma, ServiceAddon, SosAlert, Withdrawal } from '../../generated/prisma/client';
import { TenantContext } from '../../platform/database/tenant-context';
import { Accounts } from '../ledger/ledger-accounts';
import type { EarningLine } from './income-periods';

/** The only file of this module touching Prisma (always the request's tenant transaction). */
@Injectable()
export class TechnicianWorkRepository {
  constructor(private readonly tenantContext: TenantContext) {}

  private get db() {
    return this.tenantContext.db();
  }

  ownOrder(technicianId: string, orderId: string): Promise<Order | null> {
    return this.db.order.findFirst({ where: { id: orderId, technicianId } });
  }

  ownOrders(where: Prisma.OrderWhereInput): Promise<Order[]> {
    return this.db.order.findMany({ where, orderBy: { startAt: 'desc' }, take: 100 });
  }

  technician(id: string) {
    return this.db.technician.findFirst({
      where: { id },
      select: { id: true, name: true, lastLat: true, lastLng: true },
    });
  }

  /** The order a technician is on right now (for an SOS without an order). */
  activeOrder(technicianId: string): Promise<Order | null> {
    return this.db.order.findFirst({
      where: { technicianId, status: { in: ['departed', 'arrived', 'in_service'] } },
      orderBy: { startAt: 'asc' },
    });
  }

  insertSos(data: Omit<Prisma.SosAlertUncheckedCreateInput, 'tenantId'>): Promise<SosAlert> {
    return this.db.sosAlert.create({ data: { ...data, tenantId: this.tenantContext.tenantId() } });
  }

  listSos(where: Prisma.SosAlertWhereInput): Promise<SosAlert[]> {
    return this.db.sosAlert.findMany({ where, orderBy: { createdAt: 'desc' }, take: 100 });
  }

  findSos(where: Prisma.SosAlertWhereInput): Promise<SosAlert | null> {
    return this.db.sosAlert.findFirst({ where });
  }

  updateSos(id: string, data: Prisma.SosAlertUncheckedUpdateInput): Promise<SosAlert> {
    return this.db.sosAlert.update({ where: { tenantId_id: { tenantId: this.tenantContext.tenantId(), id } }, data });
  }

  /** Serialises a technician's withdrawal requests (balance check-then-insert). */
  async lockTechnician(technicianId: string): Promise<void> {
    await this.db.$queryRaw`SELECT id FROM technicians WHERE id = ${technicianId}::uuid FOR UPDATE`;
  }

  async lockWithdrawal(id: string): Promise<Withdrawal | null> {
    const rows = await this.db.$queryRaw<
      { id: string }[]
    >`SELECT id FROM withdrawals WHERE id = ${id}::uuid FOR UPDATE`;
    return rows[0] ? this.db.withdrawal.findFirst({ where: { id } }) : null;
  }

  findWithdrawal(where: Prisma.WithdrawalWhereInput): Promise<Withdrawal | null> {
    return this.db.withdrawal.findFirst({ where });
  }

  listWithdrawals(where: Prisma.WithdrawalWhereInput): Promise<Withdrawal[]> {
    return this.db.withdrawal.findMany({ where, orderBy: { createdAt: 'desc' }, take: 100 });
  }

  insertWithdrawal(technicianId: string, amountFen: number): Promise<Withdrawal> {
    return this.db.withdrawal.create({ data: { tenantId: this.tenantContext.tenantId(), technicianId, amountFen } });
  }

  updateWithdrawal(id: string, data: Prisma.WithdrawalUncheckedUpdateInput): Promise<Withdrawal> {
    return this.db.withdrawal.update({ where: { tenantId_id: { tenantId: this.tenantContext.tenantId(), id } }, data });
  }

  /** Requested but not yet paid out: reserved against the balance. */
  async reservedFen(technicianId: string): Promise<number> {
    const r = await this.db.withdrawal.aggregate({
      where: { technicianId, status: { in: ['pending', 'approved'] } },
      _sum: { amountFen: true },
    });
    return r._sum.amountFen ?? 0;
  }

  /** Earnings = credits (negative lines) on the technician's payable account, from the journal. */
  async earnings(technicianId: string, from: Date, to: Date): Promise<EarningLine[]> {
    const rows = await this.db.$queryRaw<{ at: Date; amount: bigint; order_id: string | null }[]>`
      SELECT t.created_at AS at, -e.amount_fen AS amount, t.order_id
        FROM journal_entries e
        JOIN journal_transactions t ON t.tenant_id = e.tenant_id AND t.id = e.transaction_id
       WHERE e.account = ${Accounts.technicianPayable(technicianId)}
         AND e.amount_fen < 0
         AND t.created_at >= ${from} AND t.created_at < ${to}`;
    return rows.map((r) => ({ at: r.at, amountFen: Number(r.amount), orderId: r.order_id }));
  }

  /** The 加钟 add-on offered with a service (its own before a store-wide one). */
  extensionAddon(serviceId: string): Promise<ServiceAddon | null> {
    return this.db.serviceAddon.findFirst({
      where: { kind: 'extension', active: true, minutes: { not: null }, OR: [{ serviceId }, { serviceId: null }] },
      orderBy: [{ serviceId: { sort: 'asc', nulls: 'last' } }, { priceFen: 'asc' }],
    });
  }

  insertExtension(data: Omit<Prisma.OrderExtensionUncheckedCreateInput, 'tenantId'>): Promise<OrderExtension> {
    return this.db.orderExtension.create({ data: { ...data, tenantId: this.tenantContext.tenantId() } });
  }

  async lockExtension(orderId: string, id: string): Promise<OrderExtension | null> {
    const rows = await this.db.$queryRaw<{ id: string }[]>`
      SELECT id FROM order_extensions WHERE id = ${id}::uuid AND order_id = ${orderId}::uuid FOR UPDATE`;
    return rows[0] ? this.db.orderExtension.findFirst({ where: { id } }) : null;
  }

  /**
   * A 加钟 of a shared-pool order this store gave: the holder's busy time in the taking store grows
   * to `endAt` (platform.pool_extend_taker_hold, audited; 23P01 when it would overlap). False when
   * the order is not a taken pool order.
   */
  async extendPoolHold(orderId: string, endAt: Date, actor: { type: string; id: string | null }): Promise<boolean> {
    const rows = await this.db.$queryRaw<{ extended: boolean }[]>`
      SELECT platform.pool_extend_taker_hold(${this.tenantContext.tenantId()}::uuid, ${orderId}::uuid,
                                             ${endAt}::timestamptz, ${actor.type}, ${actor.id}) AS extended`;
    return rows[0]?.extended ?? false;
  }

  updateExtension(id: string, data: Prisma.OrderExtensionUncheckedUpdateInput): Promise<OrderExtension> {
    return this.db.orderExtension.update({
      where: { tenantId_id: { tenantId: this.tenantContext.tenantId(), id } },
      data,
    });
  }
}
