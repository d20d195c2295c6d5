import type { FastifyError, FastifyInstance } from 'fastify';
import { defaultCode, errorBody, FASTIFY_ERRORS } from './error-body';

/**
 * Errors Fastify raises before a Nest handler runs (body parsing, size limits) get the same
 * shape as every other error, with the request id. Anything unexpected is a bare 500.
 */
export function installFastifyErrorHandler(fastify: FastifyInstance): void {
  fastify.setErrorHandler((err: FastifyError, req, reply) => {
    const status =
      typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) req.log.error({ err }, 'unhandled error before routing');
    const known = err.code ? FASTIFY_ERRORS[err.code] : undefined;
    const [code, message] =
      status === 500 ? ['INTERNAL', 'internal error'] : (known ?? [defaultCode(status), err.message || 'bad request']);
    void reply.status(status).send({ ...errorBody(status, code, message), requestId: req.id });
  });
}
