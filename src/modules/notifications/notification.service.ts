import { Injectable } from '@nestjs/common';
import type { Notification, Prisma } from '../../generated/prisma/client';
import { TenantContext } from '../../platform/database/tenant-context';
import { escapeHtml } from '../../platform/mail/mail-templates';
import { JobQueue } from '../../platform/queue/job-queue';
import { RealtimeHub, type RealtimeEvent } from '../../platform/realtime/realtime-hub';
import { type NotificationChannel, type Recipient, personalTopic } from './notification-recipient';
import {
  notificationLocale,
  renderNotification,
  type NotificationTemplateName,
  type NotificationTemplates,
} from './notification-templates';
import { NotificationsRepository, type RecipientContact } from './notifications.repository';

export interface NotifyRequest<N extends NotificationTemplateName> {
  recipient: Recipient;
  template: N;
  params: NotificationTemplates[N];
  /** in_app is always written (the notification centre is the record); it is pushed live when listed */
  channels: readonly NotificationChannel[];
  orderId?: string | null;
}

/** A notice for one recipient, or for every active staff member of the store. */
export type AnyNotice = Omit<NotifyRequest<NotificationTemplateName>, 'recipient'> & { recipient: Recipient | 'staff' };

/**
 * The one way to tell someone something. Inside the caller's unit of work it writes the in-app
 * row (rendered in the store's locale) and queues delivery: e-mail (staff only, the address
 * looked up now) through `mail.send`, SMS through `notification.sms` (the phone is decrypted in
 * the worker, so it never sits in Redis). Queueing and the live push wait for the commit, so a
 * rolled-back change never notifies anyone.
 */
@Injectable()
export class NotificationService {
  constructor(
    private readonly repo: NotificationsRepository,
    private readonly tenantContext: TenantContext,
    private readonly jobs: JobQueue,
    private readonly hub: RealtimeHub,
  ) {}

  /** Returns null when the recipient does not exist in this store (nothing is written). */
  async notify<N extends NotificationTemplateName>(req: NotifyRequest<N>): Promise<Notification | null> {
    const contact = await this.repo.contact(req.recipient);
    if (!contact) return null;
    const [row] = await this.deliver([{ recipient: req.recipient, contact }], req);
    return row ?? null;
  }

  /** A store-wide alert: one notification per active staff member (two queries, whatever the staff size). */
  async notifyStaff<N extends NotificationTemplateName>(req: Omit<NotifyRequest<N>, 'recipient'>): Promise<number> {
    const staff = await this.repo.activeStaffContacts();
    return (await this.deliver(staff, req)).length;
  }

  /**
   * Several notices at once (an order transition's customer + technician + staff notices): one
   * contact lookup, one insert, one Redis pipeline of live pushes after the commit, whatever the
   * number of recipients. Same rows and deliveries as notify / notifyStaff one by one.
   */
  notifyAll(notices: readonly AnyNotice[]): Promise<Notification[]> {
    return this.notifyAllNaming(null, () => notices);
  }

  /**
   * notifyAll for notices that name a technician: what customers call them is read by the same
   * statement as the recipients' contacts. `build` is called with null to learn the recipients,
   * then with the name for the notices written — the recipients must not depend on the name.
   */
  async notifyAllNaming(
    technicianId: string | null,
    build: (technicianName: string | null) => readonly AnyNotice[],
  ): Promise<Notification[]> {
    const unnamed = build(null);
    if (unnamed.length === 0) return [];
    const direct = unnamed.flatMap((n) => (n.recipient === 'staff' ? [] : [n.recipient]));
    const { contacts: found, technicianLabel } = await this.repo.contacts(
      direct,
      unnamed.some((n) => n.recipient === 'staff'),
      technicianId,
    );
    const notices = technicianId ? build(technicianLabel) : unnamed;
    const key = (r: Recipient) => `${r.type}:${r.id}`;
    const byKey = new Map(found.map((f) => [key(f.recipient), f]));
    const staff = found.filter((f) => f.recipient.type === 'staff');
    return this.deliverAll(
      notices.map((n) => {
        const { recipient, ...req } = n;
        const targets = recipient === 'staff' ? staff : [byKey.get(key(recipient))].filter((t) => t !== undefined);
        return { targets, req };
      }),
    );
  }

  private deliver<N extends NotificationTemplateName>(
    targets: Array<{ recipient: Recipient; contact: RecipientContact }>,
    req: Omit<NotifyRequest<N>, 'recipient'>,
  ): Promise<Notification[]> {
    return this.deliverAll([{ targets, req }]);
  }

  private async deliverAll(
    batches: Array<{
      targets: Array<{ recipient: Recipient; contact: RecipientContact }>;
      req: Omit<NotifyRequest<NotificationTemplateName>, 'recipient'>;
    }>,
  ): Promise<Notification[]> {
    if (batches.every((b) => b.targets.length === 0)) return [];
    const tenantId = this.tenantContext.tenantId();
    const store = await this.repo.store();
    const locale = notificationLocale(store?.locale);
    const plans = batches.flatMap(({ targets, req }) => {
      const { title, body } = renderNotification(req.template, locale, req.params);
      return targets.map(({ recipient, contact }) => {
        const email = req.channels.includes('email') && contact.email ? contact.email : null;
        const sms = req.channels.includes('sms') && contact.phoneEnc !== null;
        const channels: NotificationChannel[] = [
          'in_app',
          ...(email ? ['email' as const] : []),
          ...(sms ? ['sms' as const] : []),
        ];
        return { req, title, body, recipient, email, sms, channels };
      });
    });
    const rows = await this.repo.insertMany(
      plans.map((p) => ({
        recipientType: p.recipient.type,
        recipientId: p.recipient.id,
        template: p.req.template,
        params: p.req.params as unknown as Prisma.InputJsonValue,
        locale,
        title: p.title,
        body: p.body,
        channels: p.channels,
        orderId: p.req.orderId ?? null,
      })),
    );
    // Queueing and publishing wait for the commit (after-commit hooks): no database time here.
    const pushes: Array<{ topic: string; event: RealtimeEvent }> = [];
    for (const [k, row] of rows.entries()) {
      const { req, title, body, ...p } = plans[k]!;
      if (p.email) {
        await this.jobs.enqueue('mail.send', {
          to: p.email,
          subject: store ? `[${store.name}] ${title}` : title,
          text: `${body}\n\n${store?.name ?? ''}`,
          html: `<!doctype html><html lang="${locale}"><body style="font-family:sans-serif;line-height:1.6"><h3>${escapeHtml(title)}</h3><p>${escapeHtml(body)}</p><p>${escapeHtml(store?.name ?? '')}</p></body></html>`,
          template: `notification.${req.template}`,
        });
      }
      if (p.sms) await this.jobs.enqueue('notification.sms', { tenantId, notificationId: row.id });
      if (req.channels.includes('in_app')) {
        pushes.push({
          topic: personalTopic(p.recipient),
          event: {
            type: 'notification',
            data: {
              id: row.id,
              template: row.template,
              title,
              body,
              orderId: row.orderId,
              createdAt: row.createdAt.toISOString(),
            },
          },
        });
      }
    }
    await this.hub.publishAll(tenantId, pushes);
    return rows;
  }
}
