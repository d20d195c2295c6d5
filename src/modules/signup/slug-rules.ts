/** A store's address: {slug}.{BASE_DOMAIN} and /t/{slug}/. Same pattern as the tenants CHECK. */
export const SLUG_PATTERN = /^[a-z][a-z0-9-]{1,28}[a-z0-9]$/;

/** Names a store may not take: they are, or may become, platform hosts and paths. */
export const RESERVED_SLUGS: readonly string[] = [
  'www',
  'api',
  'admin',
  'platform',
  'app',
  'static',
  'assets',
  'mail',
  't',
  'help',
  'support',
  'status',
  'docs',
  'console',
  'dashboard',
  'login',
  'signup',
  'signin',
  'register',
  'auth',
  'oauth',
  'cdn',
  'img',
  'files',
  'uploads',
  'blog',
  'dev',
  'test',
  'staging',
  'smtp',
  'ftp',
  'ns1',
  'ns2',
  'root',
  'system',
];

export type SlugProblem = 'format' | 'reserved';

/** Why a slug cannot be used, or null when it can (availability is checked separately). */
export function slugProblem(slug: string): SlugProblem | null {
  if (!SLUG_PATTERN.test(slug)) return 'format';
  if (RESERVED_SLUGS.includes(slug)) return 'reserved';
  return null;
}
