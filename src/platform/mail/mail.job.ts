import { Injectable } from '@nestjs/common';
import { JobHandler } from '../queue/job-handler.decorator';
import type { MailJobPayload } from './mail-message';
import { MailTransport } from './mail-transport';

/** The only place e-mail is actually sent: a BullMQ job, so failures retry with backoff. */
@Injectable()
export class MailJob {
  constructor(private readonly transport: MailTransport) {}

  @JobHandler('mail.send')
  async run(payload: MailJobPayload): Promise<void> {
    await this.transport.send({ to: payload.to, subject: payload.subject, text: payload.text, html: payload.html });
  }
}
