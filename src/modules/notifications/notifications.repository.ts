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

/** What customers call a technician: the display name, else 李技师 from the legal name. */
const technicianLabel = (t: { displayName: string | null; name: string | null }): string | null =>
  t.displayName ?? (t.name ? defaultDisplayName(t.name) : null);

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
    if (data.length === 0) return Promise.resolve([]);
    // One multi-row INSERT (either unit of work); RETURNING gives the rows in VALUES order.
    const values = data.map((_, i) => {
      const b = i * 9 + 1;
      return `($1::uuid, $${b + 1}, $${b + 2}::uuid, $${b + 3}, $${b + 4}::jsonb, $${b + 5}, $${b + 6}, $${b + 7}, $${b + 8}::text[], $${b + 9}::uuid)`;
    });
    return this.tenantContext.query<Notification>(
      `INSERT INTO notifications (tenant_id, recipient_type, recipient_id, template, params, locale, title, body,
                                  channels, order_id)
       VALUES ${values.join(', ')}
       RETURNING tenant_id AS "tenantId", id, recipient_type AS "recipientType", recipient_id AS "recipientId",
                 template, params, locale, title, body, channels, order_id AS "orderId", read_at AS "readAt",
                 created_at AS "createdAt"`,
      [
        this.tenantId,
        ...data.flatMap((d) => [
          d.recipientType,
          d.recipientId,
          d.template,
          JSON.stringify(d.params ?? {}),
          d.locale,
          d.title,
          d.body,
          d.channels ?? ['in_app'],
          d.orderId ?? null,
        ]),
      ],
    );
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

  /**
   * The contacts of several recipients, and of every active staff member when `allStaff`, in one
   * statement (either unit of work). Unknown or disabled recipients are simply absent. With
   * `labelsOf`, the same statement reads what customers call those technicians (by id; an
   * unknown one is absent).
   */
  async contacts(
    recipients: readonly Recipient[],
    allStaff: boolean,
    labelsOf: readonly string[] = [],
  ): Promise<{
    contacts: Array<{ recipient: Recipient; contact: RecipientContact }>;
    technicianLabels: Map<string, string | null>;
  }> {
    const ids = (type: Recipient['type']) => recipients.filter((r) => r.type === type).map((r) => r.id);
    const rows = await this.tenantContext.query<{
      type: Recipient['type'] | 'label';
      id: string;
      email: string | null;
      phoneEnc: Uint8Array | null;
      displayName: string | null;
      name: string | null;
    }>(
      `SELECT 'customer' AS type, id, NULL::text AS email, phone_enc AS "phoneEnc", NULL::text AS "displayName",
              NULL::text AS name
         FROM customers WHERE tenant_id = $1 AND id = ANY($2::uuid[])
       UNION ALL
       SELECT 'technician', id, NULL, phone_enc, NULL, NULL FROM technicians WHERE tenant_id = $1 AND id = ANY($3::uuid[])
       UNION ALL
       SELECT 'staff', id, email, phone_enc, NULL, NULL FROM staff_accounts
        WHERE tenant_id = $1 AND disabled_at IS NULL AND ($4::boolean OR id = ANY($5::uuid[]))
       UNION ALL
       SELECT 'label', id, NULL, NULL, display_name, name FROM technicians
        WHERE tenant_id = $1 AND id = ANY($6::uuid[])
       ORDER BY 1, 2`,
      [this.tenantId, ids('customer'), ids('technician'), allStaff, ids('staff'), [...labelsOf]],
    );
    const table = { customer: 'customers', technician: 'technicians', staff: 'staff_accounts' } as const;
    return {
      contacts: rows.flatMap((r) =>
        r.type === 'label'
          ? []
          : [
              {
                recipient: { type: r.type, id: r.id },
                contact: { email: r.email, phoneEnc: r.phoneEnc, phoneTable: table[r.type] },
              },
            ],
      ),
      technicianLabels: new Map(rows.flatMap((r) => (r.type === 'label' ? [[r.id, technicianLabel(r)] as const] : []))),
    };
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
