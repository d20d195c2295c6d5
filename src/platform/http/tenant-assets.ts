import { resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

const IMAGE = /\.(svg|png|jpe?g|webp)$/i;

/**
 * Brand assets of the declarative stores (tenants/{slug}/logo.svg) at /tenant-assets/{slug}/….
 * Only image files are served — never the yaml beside them — and SVGs get a CSP that stops any
 * script inside them from running.
 */
export async function serveTenantAssets(fastify: FastifyInstance, tenantsDir: string): Promise<void> {
  await fastify.register(fastifyStatic, {
    root: resolve(tenantsDir),
    prefix: '/tenant-assets/',
    decorateReply: false,
    index: false,
    list: false,
    dotfiles: 'deny',
    allowedPath: (pathName) => IMAGE.test(pathName),
    maxAge: '1h',
    setHeaders: (reply, path) => {
      void reply.header('x-content-type-options', 'nosniff');
      if (path.endsWith('.svg'))
        void reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
    },
  });
}
