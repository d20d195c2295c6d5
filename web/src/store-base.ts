/**
 * Where this store's site lives: `/t/{slug}/` on the platform host, or `/` on `{slug}.{BASE_DOMAIN}`.
 * Read once at start-up from the address bar; the API base follows the same shape.
 */
export interface StoreBase {
  /** The slug, when it is in the path; on a store host the server knows it from the host name. */
  slug: string | null;
  /** Router history base, e.g. `/t/jingan-spa/` or `/`. */
  routerBase: string;
  /** Prefix for store API calls and store-relative URLs such as `/api/files/…`. */
  apiBase: string;
}

const PATH_SLUG = /^\/t\/([a-z][a-z0-9-]{1,28}[a-z0-9])(?=\/|$)/;

export function storeBase(pathname: string = window.location.pathname): StoreBase {
  const m = PATH_SLUG.exec(pathname);
  if (m) return { slug: m[1]!, routerBase: `/t/${m[1]}/`, apiBase: `/t/${m[1]}` };
  return { slug: null, routerBase: '/', apiBase: '' };
}

export const base = storeBase();

/** A store-relative URL (`/api/files/x`) made absolute for this store; absolute http(s) URLs pass through. */
export function storeUrl(path: string | null | undefined): string | undefined {
  if (!path) return undefined;
  if (/^https?:\/\//.test(path) || path.startsWith('/tenant-assets/')) return path;
  return `${base.apiBase}${path.startsWith('/') ? path : `/${path}`}`;
}
