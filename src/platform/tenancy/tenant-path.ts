import type { IncomingMessage } from 'node:http';

/** Raw request as seen by Fastify's rewriteUrl hook, with the store slug found in the path. */
export interface RawRequestWithSlug extends IncomingMessage {
  tenantSlugFromPath?: string;
}

const TENANT_PREFIX = /^\/t\/([a-z][a-z0-9-]{1,28}[a-z0-9])(?=\/|$|\?)/;

/**
 * `/t/{slug}/api/...` is the same route as `/api/...` on `{slug}.{BASE_DOMAIN}`: strip the
 * prefix before routing and remember the slug for the tenant resolver.
 */
export function rewriteTenantPath(req: RawRequestWithSlug): string {
  const url = req.url ?? '/';
  const m = TENANT_PREFIX.exec(url);
  if (!m) return url;
  req.tenantSlugFromPath = m[1];
  const rest = url.slice(m[0].length);
  return rest === '' || rest.startsWith('?') ? `/${rest}` : rest;
}

/** `{slug}.{baseDomain}` → slug; anything else → undefined. Port and case are ignored. */
export function slugFromHost(host: string | undefined, baseDomain: string): string | undefined {
  if (!host) return undefined;
  const name = host.toLowerCase().replace(/:\d+$/, '');
  const suffix = `.${baseDomain.toLowerCase()}`;
  if (!name.endsWith(suffix)) return undefined;
  const label = name.slice(0, -suffix.length);
  return /^[a-z][a-z0-9-]{1,28}[a-z0-9]$/.test(label) ? label : undefined;
}
