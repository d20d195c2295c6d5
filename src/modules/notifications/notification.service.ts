import { Injectable } from '@nestjs/common';
import type { Notification, Prisma } from '../../generated/prisma/client';
import { TenantContext } from '../../platform/database/tenant-context';
import { escapeHtml } from '../../platform/mail/mail-templates';
import { JobQueue } from '../../platform/queue/job-queue';
import { RealtimeHub, type RealtimeEvent, type Topic } from '../../platform/realtime/realtime-hub';
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

/** The notices of one call, given what customers call the named technician (null: unknown yet). */
export type NoticeBuilder = (technicianName: string | null) => readonly AnyNotice[];

/** A live event for one topic of the current store. */
export type LivePush = { topic: Topic; event: RealtimeEvent };

type Target = { recipient: Recipient; contact: RecipientContact };
type Delivery = { targets: Target[]; req: Omit<NotifyRequest<NotificationTemplateName>, 'recipient'> };

/** One notifyAtCommit call, waiting for the end of its unit of work. */
interface PendingCall {
  technicianId: string | null;
  build: NoticeBuilder;
  live: readonly LivePush[];
}

/** A unit of work's notifyAtCommit calls, and the pushes their flush made, sent after the commit. */
interface PendingNotices {
  calls: PendingCall[];
  pushes: LivePush[];
}

const PENDING_NOTICES = Symbol('pending notices');

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
  async notifyAllNaming(technicianId: string | null, build: NoticeBuilder): Promise<Notification[]> {
    const unnamed = build(null);
    if (unnamed.length === 0) return [];
    const { contacts, technicianLabels } = await this.repo.contacts(
      recipientsOf(unnamed),
      unnamed.some((n) => n.recipient === 'staff'),
      technicianId ? [technicianId] : [],
    );
    const notices = technicianId ? build(technicianLabels.get(technicianId) ?? null) : unnamed;
    return this.deliverNow(deliveries(notices, contacts));
  }

  /**
   * notifyAllNaming with `live` events, for the end of the unit of work: every call of one unit of
   * work is written together in its transaction right before the COMMIT — one contact lookup, one
   * insert — and all their pushes (each call's `live` events, then its notices', in call order)
   * go out after the commit as one Redis pipeline. Outside a unit of work it is sent at once.
   */
  async notifyAtCommit(
    technicianId: string | null,
    build: NoticeBuilder,
    live: readonly LivePush[] = [],
  ): Promise<void> {
    const call: PendingCall = { technicianId, build, live };
    const pending = this.tenantContext.unitLocal(PENDING_NOTICES, () => this.openPending());
    if (!pending) {
      const now: PendingNotices = { calls: [call], pushes: [] };
      await this.writePending(now);
      await this.hub.publishAll(this.tenantContext.tenantId(), now.pushes);
      return;
    }
    // Flushed once the work is done; again should a later before-commit hook notify too.
    if (pending.calls.push(call) === 1) this.tenantContext.beforeCommit(() => this.writePending(pending));
  }

  private openPending(): PendingNotices {
    const tenantId = this.tenantContext.tenantId();
    const pending: PendingNotices = { calls: [], pushes: [] };
    // Registered with the first call, so the pipeline keeps its place among the after-commit work
    // (ahead of work registered after that call, as the first change's own publish would be).
    void this.tenantContext.afterCommit(() => this.hub.publishAll(tenantId, pending.pushes));
    return pending;
  }

  /** Writes the waiting calls' notices in one go and lines up their pushes (in call order). */
  private async writePending(pending: PendingNotices): Promise<void> {
    const calls = pending.calls.splice(0);
    const unnamed = calls.map((c) => c.build(null));
    const all = unnamed.flat();
    let found: Target[] = [];
    let labels = new Map<string, string | null>();
    if (all.length > 0) {
      const named = calls.flatMap((c, i) => (c.technicianId && unnamed[i]!.length > 0 ? [c.technicianId] : []));
      const r = await this.repo.contacts(
        recipientsOf(all),
        all.some((n) => n.recipient === 'staff'),
        [...new Set(named)],
      );
      found = r.contacts;
      labels = r.technicianLabels;
    }
    const perCall = calls.map((c, i) =>
      deliveries(c.technicianId ? c.build(labels.get(c.technicianId) ?? null) : unnamed[i]!, found),
    );
    const { pushes } = await this.deliverAll(perCall.flat());
    let k = 0;
    for (const [i, call] of calls.entries()) {
      const n = perCall[i]!.length;
      pending.pushes.push(...call.live, ...pushes.slice(k, k + n).flat());
      k += n;
    }
  }

  private deliver<N extends NotificationTemplateName>(
    targets: Target[],
    req: Omit<NotifyRequest<N>, 'recipient'>,
  ): Promise<Notification[]> {
    return this.deliverNow([{ targets, req }]);
  }

  /** deliverAll, its pushes published (after the commit, inside a unit of work). */
  private async deliverNow(batches: Delivery[]): Promise<Notification[]> {
    const { rows, pushes } = await this.deliverAll(batches);
    if (rows.length > 0) await this.hub.publishAll(this.tenantContext.tenantId(), pushes.flat());
    return rows;
  }

  /**
   * Writes the rows (one insert) and queues their e-mails and texts (after the commit); returns
   * the rows and, per batch, the live pushes of its rows, for the caller to publish.
   */
  private async deliverAll(batches: Delivery[]): Promise<{ rows: Notification[]; pushes: LivePush[][] }> {
    const pushes: LivePush[][] = batches.map(() => []);
    if (batches.every((b) => b.targets.length === 0)) return { rows: [], pushes };
    const tenantId = this.tenantContext.tenantId();
    const store = await this.repo.store();
    const locale = notificationLocale(store?.locale);
    const plans = batches.flatMap(({ targets, req }, batch) => {
      const { title, body } = renderNotification(req.template, locale, req.params);
      return targets.map(({ recipient, contact }) => {
        const email = req.channels.includes('email') && contact.email ? contact.email : null;
        const sms = req.channels.includes('sms') && contact.phoneEnc !== null;
        const channels: NotificationChannel[] = [
          'in_app',
          ...(email ? ['email' as const] : []),
          ...(sms ? ['sms' as const] : []),
        ];
        return { batch, req, title, body, recipient, email, sms, channels };
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
    // Queueing (and the caller's publishing) wait for the commit (after-commit hooks).
    for (const [k, row] of rows.entries()) {
      const { batch, req, title, body, ...p } = plans[k]!;
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
        pushes[batch]!.push({
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
    return { rows, pushes };
  }
}

/** The individual recipients of some notices (duplicates are fine: the lookup reads each once). */
function recipientsOf(notices: readonly AnyNotice[]): Recipient[] {
  return notices.flatMap((n) => (n.recipient === 'staff' ? [] : [n.recipient]));
}

/** Each notice with the contacts of whom it reaches (a missing recipient reaches nobody). */
function deliveries(notices: readonly AnyNotice[], found: readonly Target[]): Delivery[] {
  const key = (r: Recipient) => `${r.type}:${r.id}`;
  const byKey = new Map(found.map((f) => [key(f.recipient), f]));
  const staff = found.filter((f) => f.recipient.type === 'staff');
  return notices.map((n) => {
    const { recipient, ...req } = n;
    const targets = recipient === 'staff' ? staff : [byKey.get(key(recipient))].filter((t) => t !== undefined);
    return { targets, req };
  });
}
