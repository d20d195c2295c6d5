import { FastifyAdapter } from '@nestjs/platform-fastify';

/**
 * Nest's Fastify adapter without Nest's own Fastify-level error handler. Nest sets one at init,
 * over ours (installFastifyErrorHandler), which makes Fastify warn (FSTWRN004) at every start;
 * ours is the one meant for errors Fastify raises before a Nest handler runs (body parsing, size
 * limits), with our error body and request id. Errors inside handlers still go through Nest's
 * exception filters, which do not depend on this.
 */
export class AppFastifyAdapter extends FastifyAdapter {
  override setErrorHandler(): ReturnType<FastifyAdapter['setErrorHandler']> {
    return this.getInstance();
  }
}
