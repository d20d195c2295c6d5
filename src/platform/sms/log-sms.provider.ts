import type { Logger } from 'pino';
import { maskPhone } from '../crypto/phone';
import type { SmsProvider, SmsTemplate } from './sms-provider';

/**
 * Development provider: writes the message to the log instead of sending it, so a developer can
 * sign in with the printed code. The number is masked; the code is in the message text because
 * the logger redacts `*.code` fields.
 */
export class LogSmsProvider implements SmsProvider {
  constructor(private readonly logger: Logger) {}

  async send(phone: string, template: SmsTemplate, params: Record<string, string>): Promise<void> {
    const text = Object.entries(params)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    this.logger.info({ sms: { to: maskPhone(phone), template } }, `[sms:${template}] ${maskPhone(phone)} ${text}`);
  }
}
