import { Injectable } from '@nestjs/common';
import type { Notification, Prisma } from '../../generated/prisma/client';
import { TenantContext } from '../../platform/database/tenant-context';
import { CurrentStore } from '../../platform/tenancy/current-store';
import type { WhereInput } from '../../platform/authz/casl-prisma';
import { defaultDisplayName } from '../technicians/display-name';
import { contactKey, type Recipient } from './notification-recipient';

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

  /**
   * contact() for several recipients in one statement; recipients that do not exist in this store
   * (or disabled staff) are missing from the map, keyed `type:id`. With `labelOf`, the same
   * statement also reads what customers call that technician (technicianLabel()).
   */
  async contacts(
    recipients: readonly Recipient[],
    labelOf: string | null = null,
  ): Promise<{ contacts: Map<string, RecipientContact>; technicianLabel: string | null }> {
    const ids = (type: Recipient['type']) => recipients.filter((r) => r.type === type).map((r) => r.id);
    const rows = await this.db.$queryRaw<
      Array<{
        type: Recipient['type'] | 'label';
        id: string;
        email: string | null;
        phoneEnc: Uint8Array | null;
        displayName: string | null;
        name: string | null;
      }>
    >`
      SELECT 'customer' AS type, id, NULL::text AS email, phone_enc AS "phoneEnc", NULL::text AS "displayName",
             NULL::text AS name
        FROM customers WHERE id = ANY(${ids('customer')}::uuid[])
      UNION ALL
      SELECT 'technician', id, NULL::text, phone_enc, NULL::text, NULL::text
        FROM technicians WHERE id = ANY(${ids('technician')}::uuid[])
      UNION ALL
      SELECT 'staff', id, email, phone_enc, NULL::text, NULL::text
        FROM staff_accounts WHERE id = ANY(${ids('staff')}::uuid[]) AND disabled_at IS NULL
      UNION ALL
      SELECT 'label', id, NULL::text, NULL::bytea, display_name, name FROM technicians WHERE id = ${labelOf}::uuid`;
    const table = { customer: 'customers', technician: 'technicians', staff: 'staff_accounts' } as const;
    const contacts = new Map<string, RecipientContact>();
    let technicianLabel: string | null = null;
    for (const r of rows) {
      if (r.type === 'label') technicianLabel = r.displayName ?? (r.name ? defaultDisplayName(r.name) : null);
      else
        contacts.set(contactKey({ type: r.type, id: r.id }), {
          email: r.email,
          phoneEnc: r.phoneEnc,
          phoneTable: table[r.type],
        });
    }
    return { contacts, technicianLabel };
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
