import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { slugFromHost, type RawRequestWithSlug } from '../tenancy/tenant-path';

/** Paths that belong to the API or to other static mounts: a miss there is a real 404, never the app shell. */
const NOT_THE_APP = /^\/(api|health|tenant-assets|assets)(\/|$|\?)/;

export interface WebAppOptions {
  distDir: string;
  baseDomain: string;
  logger: Logger;
}

/**
 * The store-branded H5 site (web/, built by Vite). Hashed bundles under /assets/ are cached for a
 * year; every other GET on a store — `/t/{slug}/…` (the prefix is already stripped by
 * rewriteTenantPath) or any path on `{slug}.{BASE_DOMAIN}` — answers with index.html so the Vue
 * router can take over. When the site has not been built, the API still starts and says how to
 * build it.
 */
export async function serveWebApp(fastify: FastifyInstance, opts: WebAppOptions): Promise<void> {
  const dist = resolve(opts.distDir);
  const indexFile = join(dist, 'index.html');
  if (!existsSync(indexFile)) {
    opts.logger.warn(
      { distDir: dist },
      'H5 site not built: run `npm run build` (vite build --config web/vite.config.mts); the API runs without it',
    );
    return;
  }
  // Read once: the shell is tiny and changes only with a new build (i.e. a new process).
  const shell = readFileSync(indexFile);

  await fastify.register(fastifyStatic, {
    root: join(dist, 'assets'),
    prefix: '/assets/',
    decorateReply: false,
    index: false,
    list: false,
    dotfiles: 'deny',
    immutable: true,
    maxAge: '365d',
    setHeaders: (reply) => void reply.header('x-content-type-options', 'nosniff'),
  });

  const isStoreRequest = (req: FastifyRequest): boolean =>
    Boolean((req.raw as RawRequestWithSlug).tenantSlugFromPath) ||
    slugFromHost(req.headers.host, opts.baseDomain) !== undefined;

  fastify.get('/*', (req: FastifyRequest, reply: FastifyReply) => {
    const path = req.url.split('?')[0] ?? '/';
    if (NOT_THE_APP.test(path) || !isStoreRequest(req)) return reply.callNotFound();
    return reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'same-origin')
      .send(shell);
  });
}
