/** Message templates the platform sends by SMS (a real provider maps each to its approved template id). */
export type SmsTemplate = 'login_code' | 'technician_review' | 'notification';

/** Sends one text message. Providers never see anything but the number, a template and its params. */
export interface SmsProvider {
  send(phone: string, template: SmsTemplate, params: Record<string, string>): Promise<void>;
}

export const SMS_PROVIDER = Symbol('SMS_PROVIDER');
