import { Injectable } from '@nestjs/common';
import { JobQueue } from '../queue/job-queue';
import { renderMail, type MailTemplateName, type MailTemplates } from './mail-templates';
import { mailLocale } from './mail-message';

/** Renders a template and queues it; the `mail.send` job delivers it (with retries). */
@Injectable()
export class MailService {
  constructor(private readonly jobs: JobQueue) {}

  async send<N extends MailTemplateName>(
    to: string,
    template: N,
    locale: string | null | undefined,
    vars: MailTemplates[N],
  ): Promise<string> {
    const rendered = renderMail(template, mailLocale(locale), vars);
    return this.jobs.enqueue('mail.send', { to, template, ...rendered });
  }
}
