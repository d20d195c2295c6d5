import {
  type CallHandler,
  type ExecutionContext,
  HttpException,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { catchError, type Observable, of, throwError } from 'rxjs';
import { errorBody } from '../http/error-body';
import { appRequest } from '../http/request-context';
import { AuthFailure } from './auth-failure';

const FORCED_STATUS = Symbol('auth.forcedStatus');
type WithForcedStatus = FastifyReply & { [FORCED_STATUS]?: number };

/**
 * Sits inside the tenant transaction (controller-level interceptors run within the global one).
 * An AuthFailure becomes an ordinary return value so the writes made before it (failed sign-in
 * audit, session-family revocation) commit; its status is applied in an onSend hook because Nest
 * stamps the route's default status on returned values. A 429 gets its `Retry-After` header.
 */
@Injectable()
export class AuthErrorInterceptor implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const reply = ctx.switchToHttp().getResponse<WithForcedStatus>();
    return next.handle().pipe(
      catchError((e: unknown) => {
        const wait = e instanceof HttpException ? (e.getResponse() as { retryAfterSeconds?: unknown }) : undefined;
        if (typeof wait?.retryAfterSeconds === 'number')
          void reply.header('Retry-After', String(wait.retryAfterSeconds));
        if (!(e instanceof AuthFailure)) return throwError(() => e);
        const status = e.getStatus();
        const { code, message, ...rest } = e.getResponse() as { code: string; message: string };
        reply[FORCED_STATUS] = status;
        return of({ ...errorBody(status, code, message, rest), requestId: appRequest(ctx).id });
      }),
    );
  }
}

/** Registers the hook that applies an AuthFailure's status (call once, before the server is ready). */
export function installForcedStatusHook(fastify: FastifyInstance): void {
  fastify.addHook('onSend', async (_req, reply: WithForcedStatus, payload) => {
    const status = reply[FORCED_STATUS];
    if (status !== undefined) void reply.code(status);
    return payload;
  });
}
