import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Prisma } from '../../generated/prisma/client';
import { defaultCode, errorBody, FASTIFY_ERRORS, type ErrorBody } from './error-body';

/**
 * One place that turns any error into a response: HttpExceptions keep their status and fields,
 * known database conflicts become 409/404, and everything else is a 500 that names only the
 * request id (the details go to the log).
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const req = ctx.getRequest<FastifyRequest>();
    const body = this.toBody(exception);
    body.requestId = req.id;
    if (typeof body.retryAfterSeconds === 'number') void reply.header('retry-after', String(body.retryAfterSeconds));
    if (body.statusCode >= 500) {
      this.logger.error({ err: exception, reqId: req.id, url: req.url }, 'unhandled error');
    }
    void reply.status(body.statusCode).header('content-type', 'application/json; charset=utf-8').send(body);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const res = exception.getResponse();
      if (typeof res === 'string') return errorBody(status, defaultCode(status), res);
      const { message, code, statusCode: _s, error: _e, ...rest } = res as Record<string, unknown>;
      const text = Array.isArray(message) ? message.join('; ') : String(message ?? exception.message);
      return errorBody(status, typeof code === 'string' ? code : defaultCode(status), text, rest);
    }
    if (exception instanceof Prisma.PrismaClientKnownRequestError) {
      if (exception.code === 'P2002') return errorBody(409, 'CONFLICT', 'already exists');
      if (exception.code === 'P2025') return errorBody(404, 'NOT_FOUND', 'not found');
    }
    const fastifyStatus = (exception as { statusCode?: unknown })?.statusCode;
    if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
      // Raised by Fastify itself (body parsing, size limits, multipart): keep its status, use our words.
      const known = FASTIFY_ERRORS[(exception as { code?: string }).code ?? ''];
      const [code, message] = known ?? [defaultCode(fastifyStatus), (exception as Error).message];
      return errorBody(fastifyStatus, code, message);
    }
    return errorBody(500, 'INTERNAL', 'internal error');
  }
}
