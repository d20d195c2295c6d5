import { Inject, Injectable } from '@nestjs/common';
import { FieldCipher } from '../../platform/crypto/field-cipher';
import { TenantContext } from '../../platform/database/tenant-context';
import { JobHandler } from '../../platform/queue/job-handler.decorator';
import { SMS_PROVIDER, type SmsProvider } from '../../platform/sms/sms-provider';
import type { RecipientType } from './notification-recipient';
import { NotificationsRepository } from './notifications.repository';

/** Payload of `notification.sms`: ids only, no phone number or text in Redis. */
export interface NotificationSmsPayload {
  tenantId: string;
  notificationId: string;
}

/**
 * Sends one notification by SMS. Runs in the store's tenant context after the notification
 * committed; the recipient's phone is decrypted here, just before sending. A provider error
 * throws, so BullMQ retries with backoff.
 */
@Injectable()
export class NotificationSmsJob {
  constructor(
    private readonly repo: NotificationsRepository,
    private readonly tenantContext: TenantContext,
    private readonly cipher: FieldCipher,
    @Inject(SMS_PROVIDER) private readonly sms: SmsProvider,
  ) {}

  @JobHandler('notification.sms')
  async run(p: NotificationSmsPayload): Promise<string> {
    const n = await this.repo.findById(p.notificationId);
    if (!n) return 'gone';
    const contact = await this.repo.contact({ type: n.recipientType as RecipientType, id: n.recipientId });
    if (!contact?.phoneEnc) return 'no-phone';
    const phone = this.cipher.decrypt(contact.phoneEnc, `${this.tenantContext.tenantId()}:${contact.phoneTable}.phone`);
    await this.sms.send(phone, 'notification', { title: n.title, body: n.body });
    return 'sent';
  }
}
