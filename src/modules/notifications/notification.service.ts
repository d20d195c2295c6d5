import { Injectable } from '@nestjs/common';
import type { Notification, Prisma } from '../../generated/prisma/client';
import { TenantContext } from '../../platform/database/tenant-context';
import { escapeHtml } from '../../platform/mail/mail-templates';
import { JobQueue } from '../../platform/queue/job-queue';
import { RealtimeHub } from '../../platform/realtime/realtime-hub';
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

  private async deliver<N extends NotificationTemplateName>(
    targets: Array<{ recipient: Recipient; contact: RecipientContact }>,
    req: Omit<NotifyRequest<N>, 'recipient'>,
  ): Promise<Notification[]> {
    if (targets.length === 0) return [];
    const tenantId = this.tenantContext.tenantId();
    const store = await this.repo.store();
    const locale = notificationLocale(store?.locale);
    const { title, body } = renderNotification(req.template, locale, req.params);
    const plans = targets.map(({ recipient, contact }) => {
      const email = req.channels.includes('email') && contact.email ? contact.email : null;
      const sms = req.channels.includes('sms') && contact.phoneEnc !== null;
      const channels: NotificationChannel[] = [
        'in_app',
        ...(email ? ['email' as const] : []),
        ...(sms ? ['sms' as const] : []),
      ];
      return { recipient, email, sms, channels };
    });
    const rows = await this.repo.insertMany(
      plans.map((p) => ({
        recipientType: p.recipient.type,
        recipientId: p.recipient.id,
        template: req.template,
        params: req.params as unknown as Prisma.InputJsonValue,
        locale,
        title,
        body,
        channels: p.channels,
        orderId: req.orderId ?? null,
      })),
    );
    // Queueing and publishing wait for the commit (after-commit hooks): no database time here.
    for (const [k, row] of rows.entries()) {
      const p = plans[k]!;
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
        await this.hub.publish(tenantId, personalTopic(p.recipient), {
          type: 'notification',
          data: {
            id: row.id,
            template: row.template,
            title,
            body,
            orderId: row.orderId,
            createdAt: row.createdAt.toISOString(),
          },
        });
      }
    }
    return rows;
  }
}
