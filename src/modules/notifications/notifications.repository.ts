import { Injectable } from '@nestjs/common';
import type { Notification, Prisma } from '../../generated/prisma/client';
import { TenantContext } from '../../platform/database/tenant-context';
import { CurrentStore } from '../../platform/tenancy/current-store';
import type { WhereInput } from '../../platform/authz/casl-prisma';
import { defaultDisplayName } from '../technicians/display-name';
import type { Recipient } from './notification-recipient';

export type NewNotification = Omit<Prisma.NotificationUncheckedCreateInput, 'tenantId' | 'id' | 'createdAt' | 'readAt'>;

/** Where a recipient can be reached outside the app (sealed phone, e-mail for staff). */
export interface RecipientContact {
  email: string | null;
  phoneEnc: Uint8Array | null;
  /** the table whose AAD seals the phone */
  phoneTable: 'customers' | 'technicians' | 'staff_accounts';
}

/** The only file of the notifications module touching Prisma. */
@Injectable()
export class NotificationsRepository {
  constructor(
    private readonly tenantContext: TenantContext,
    private readonly currentStore: CurrentStore,
  ) {}

  private get db() {
    return this.tenantContext.db();
  }

  private get tenantId(): string {
    return this.tenantContext.tenantId();
  }

  /** The store's name, locale and zone (warm directory entry, else read on this unit of work). */
  async store(): Promise<{ name: string; locale: string; timezone: string } | null> {
    const { name, locale, timezone } = await this.currentStore.info();
    return { name, locale, timezone };
  }

  /** Rows come back in input order (one INSERT … RETURNING). */
  insertMany(data: NewNotification[]): Promise<Notification[]> {
    return this.db.notification.createManyAndReturn({ data: data.map((d) => ({ ...d, tenantId: this.tenantId })) });
  }

  /** Whether any of these notices of the order was written at or after `since`. */
  async orderNoticeWrittenSince(orderId: string, templates: readonly string[], since: Date): Promise<boolean> {
    const row = await this.db.notification.findFirst({
      where: { orderId, template: { in: [...templates] }, createdAt: { gte: since } },
      select: { id: true },
    });
    return row !== null;
  }

  findById(id: string): Promise<Notification | null> {
    return this.db.notification.findUnique({ where: { tenantId_id: { tenantId: this.tenantId, id } } });
  }

  /** Active staff accounts of the store with their contacts (store-wide alerts go to each). */
  async activeStaffContacts(): Promise<Array<{ recipient: Recipient; contact: RecipientContact }>> {
    const rows = await this.db.staffAccount.findMany({
      where: { disabledAt: null },
      select: { id: true, email: true, phoneEnc: true },
      orderBy: { id: 'asc' },
    });
    return rows.map((s) => ({
      recipient: { type: 'staff', id: s.id },
      contact: { email: s.email, phoneEnc: s.phoneEnc, phoneTable: 'staff_accounts' },
    }));
  }

  async contact(r: Recipient): Promise<RecipientContact | null> {
    switch (r.type) {
      case 'staff': {
        const s = await this.db.staffAccount.findUnique({
          where: { tenantId_id: { tenantId: this.tenantId, id: r.id } },
          select: { email: true, phoneEnc: true, disabledAt: true },
        });
        return s && !s.disabledAt ? { email: s.email, phoneEnc: s.phoneEnc, phoneTable: 'staff_accounts' } : null;
      }
      case 'customer': {
        const c = await this.db.customer.findUnique({
          where: { tenantId_id: { tenantId: this.tenantId, id: r.id } },
          select: { phoneEnc: true },
        });
        return c ? { email: null, phoneEnc: c.phoneEnc, phoneTable: 'customers' } : null;
      }
      case 'technician': {
        const t = await this.db.technician.findUnique({
          where: { tenantId_id: { tenantId: this.tenantId, id: r.id } },
          select: { phoneEnc: true },
        });
        return t ? { email: null, phoneEnc: t.phoneEnc, phoneTable: 'technicians' } : null;
      }
    }
  }

  /** What customers call a technician: the display name, else 李技师 from the legal name. */
  async technicianLabel(id: string): Promise<string | null> {
    const t = await this.db.technician.findUnique({
      where: { tenantId_id: { tenantId: this.tenantId, id } },
      select: { displayName: true, name: true },
    });
    if (!t) return null;
    return t.displayName ?? (t.name ? defaultDisplayName(t.name) : null);
  }

  page(where: WhereInput<'Notification'>, skip: number, take: number): Promise<Notification[]> {
    return this.db.notification.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], skip, take });
  }

  count(where: WhereInput<'Notification'>): Promise<number> {
    return this.db.notification.count({ where });
  }

  /** Marks read (once: the first read time stays); 0 when no such visible notification. */
  async markRead(where: WhereInput<'Notification'>, id: string, at: Date): Promise<Notification | null> {
    await this.db.notification.updateMany({ where: { AND: [where, { id, readAt: null }] }, data: { readAt: at } });
    return this.db.notification.findFirst({ where: { AND: [where, { id }] } });
  }

  async markAllRead(where: WhereInput<'Notification'>, at: Date): Promise<number> {
    const r = await this.db.notification.updateMany({
      where: { AND: [where, { readAt: null }] },
      data: { readAt: at },
    });
    return r.count;
  }
}
