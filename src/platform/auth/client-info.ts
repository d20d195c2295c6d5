import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { appRequest } from '../http/request-context';
import type { ClientInfo } from './session.service';

/** The caller's IP and user agent, kept with a session and in the audit trail. */
export const Client = createParamDecorator((_: unknown, ctx: ExecutionContext): ClientInfo => {
  const req = appRequest(ctx);
  const ua = req.headers['user-agent'];
  return { ip: req.ip ?? null, userAgent: typeof ua === 'string' ? ua : null };
});
