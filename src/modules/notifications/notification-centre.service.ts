import { Injectable, NotFoundException } from '@nestjs/common';
import type { Notification } from '../../generated/prisma/client';
import type { Actor } from '../../platform/auth/actor';
import type { AppAbility } from '../../platform/authz/app-ability';
import { accessibleBy, type WhereInput } from '../../platform/authz/casl-prisma';
import type { ListNotificationsQuery, NotificationDto, NotificationPageDto } from './dto/notification.dto';
import { recipientOf } from './notification-recipient';
import { NotificationsRepository } from './notifications.repository';

const notFound = () =>
  new NotFoundException({ code: 'NOTIFICATION_NOT_FOUND', message: '通知不存在 / notification not found' });

/** Each principal's own inbox: list with unread count, mark one or all read. */
@Injectable()
export class NotificationCentreService {
  constructor(private readonly repo: NotificationsRepository) {}

  async list(ability: AppAbility, actor: Actor, q: ListNotificationsQuery): Promise<NotificationPageDto> {
    const mine = this.mine(ability, actor, 'read');
    const where: WhereInput<'Notification'> = q.unread ? { AND: [mine, { readAt: null }] } : mine;
    const [items, total, unreadCount] = await Promise.all([
      this.repo.page(where, (q.page - 1) * q.pageSize, q.pageSize),
      this.repo.count(where),
      this.repo.count({ AND: [mine, { readAt: null }] }),
    ]);
    return { items: items.map(view), total, unreadCount, page: q.page, pageSize: q.pageSize };
  }

  async read(ability: AppAbility, actor: Actor, id: string): Promise<NotificationDto> {
    const row = await this.repo.markRead(this.mine(ability, actor, 'update'), id, new Date());
    if (!row) throw notFound();
    return view(row);
  }

  async readAll(ability: AppAbility, actor: Actor): Promise<{ updated: number }> {
    return { updated: await this.repo.markAllRead(this.mine(ability, actor, 'update'), new Date()) };
  }

  /** CASL's rows for this principal AND the principal's own inbox (never anybody else's). */
  private mine(ability: AppAbility, actor: Actor, action: 'read' | 'update'): WhereInput<'Notification'> {
    const me = recipientOf(actor);
    if (!me) throw notFound();
    return {
      AND: [accessibleBy(ability, action).ofType('Notification'), { recipientType: me.type, recipientId: me.id }],
    };
  }
}

function view(n: Notification): NotificationDto {
  return {
    id: n.id,
    template: n.template,
    title: n.title,
    body: n.body,
    locale: n.locale,
    channels: n.channels,
    orderId: n.orderId,
    readAt: n.readAt,
    createdAt: n.createdAt,
  };
}
