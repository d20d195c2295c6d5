import { Global, Module } from '@nestjs/common';
import { MailTransport } from './mail-transport';
import { MailService } from './mail.service';
import { MailJob } from './mail.job';

/** E-mail (global): `MailService.send(to, template, locale, vars)` queues a `mail.send` job. */
@Global()
@Module({
  providers: [MailTransport, MailService, MailJob],
  exports: [MailService],
})
export class MailModule {}
