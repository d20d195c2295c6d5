import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import { APP_CONFIG } from '../../config/load-config';
import type { AppConfig } from '../../config/config.schema';
import type { MailMessage } from './mail-message';

/**
 * Delivers one message. With SMTP_URL it goes through nodemailer; without it (development and
 * tests only) the whole message is written to the log, so nothing is silently dropped. A
 * production process without SMTP_URL refuses to start.
 */
@Injectable()
export class MailTransport implements OnApplicationShutdown {
  private readonly logger = new Logger('mail');
  private readonly transporter?: Transporter;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    if (config.SMTP_URL) {
      this.transporter = nodemailer.createTransport(config.SMTP_URL, { from: config.MAIL_FROM });
    } else if (config.NODE_ENV === 'production') {
      throw new Error('SMTP_URL is required in production (e-mails would otherwise be lost)');
    }
  }

  async send(message: MailMessage): Promise<void> {
    if (!this.transporter) {
      this.logger.log({
        msg: 'mail (no SMTP_URL: logged, not sent)',
        mail: { from: this.config.MAIL_FROM, ...message },
      });
      return;
    }
    // A rejection throws, so the job fails and BullMQ retries it with backoff.
    const info = (await this.transporter.sendMail(message)) as { messageId?: string };
    this.logger.log({ msg: 'mail sent', to: message.to, subject: message.subject, messageId: info.messageId });
  }

  onApplicationShutdown(): void {
    this.transporter?.close();
  }
}
