/** A rendered e-mail, ready for the transport (also the payload of the `mail.send` job). */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export type MailJobPayload = MailMessage & {
  /** Template name, for logs only. */
  template: string;
};

export type MailLocale = 'zh-CN' | 'en';

export function mailLocale(locale: string | null | undefined): MailLocale {
  return locale === 'en' ? 'en' : 'zh-CN';
}
