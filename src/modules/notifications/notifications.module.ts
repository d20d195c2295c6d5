import { Global, Module } from '@nestjs/common';
import { NotificationCentreService } from './notification-centre.service';
import { NotificationSmsJob } from './notification-sms.job';
import { NotificationService } from './notification.service';
import { NotificationsController } from './notifications.controller';
import { NotificationsRepository } from './notifications.repository';
import { OrderStatusBroadcaster } from './order-status-broadcaster';

/**
 * Notifications (global, so any feature can inject `NotificationService` without an import
 * cycle): the in-app centre, e-mail/SMS delivery jobs, and the live order status broadcaster
 * that OrderTransitions calls on every transition.
 */
@Global()
@Module({
  controllers: [NotificationsController],
  providers: [
    NotificationsRepository,
    NotificationService,
    NotificationCentreService,
    NotificationSmsJob,
    OrderStatusBroadcaster,
  ],
  exports: [NotificationService, OrderStatusBroadcaster],
})
export class NotificationsModule {}
