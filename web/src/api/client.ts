import { base } from '../store-base';
import { session, type Role } from '../session';

/** One field's problems as the API reports them (400 with `fields`). */
export interface FieldProblem {
  field: string;
  messages: string[];
}

/** An API error with its code and per-field messages, ready to show next to form fields. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldProblem[] = [],
  ) {
    super(message);
  }

  /** `{ phone: 'message' }` for a form; nested fields (`addons.0.addonId`) keep their full path. */
  fieldMap(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const f of this.fields) out[f.field] = f.messages.join('; ');
    return out;
  }
}

interface RequestOptions {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Which signed-in principal's token to send (defaults to the current one). */
  as?: Role;
  signal?: AbortSignal;
}

interface TokensDto {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

const refreshing = new Map<Role, Promise<boolean>>();

/** Trades the refresh token for a new pair once, however many requests hit 401 at the same time. */
function refresh(role: Role): Promise<boolean> {
  const running = refreshing.get(role);
  if (running) return running;
  const p = (async () => {
    const t = session.tokens(role);
    if (!t) return false;
    const res = await fetch(`${base.apiBase}/api/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: t.refreshToken }),
    });
    if (!res.ok) {
      session.signOut(role);
      return false;
    }
    const next = (await res.json()) as TokensDto;
    session.store(role, { ...t, accessToken: next.accessToken, refreshToken: next.refreshToken });
    return true;
  })().finally(() => refreshing.delete(role));
  refreshing.set(role, p);
  return p;
}

async function toError(res: Response): Promise<ApiError> {
  let body: { code?: string; message?: string | string[]; fields?: FieldProblem[] } = {};
  try {
    body = (await res.json()) as typeof body;
  } catch {
    /* not JSON: keep the status */
  }
  const message = Array.isArray(body.message) ? body.message.join('; ') : (body.message ?? res.statusText);
  return new ApiError(res.status, body.code ?? `HTTP_${res.status}`, message, body.fields ?? []);
}

/** Calls a store API route (`/api/...`) with the bearer token, refreshing it once on 401. */
export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const role = opts.as ?? session.role.value;
  const send = () => {
    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
    const token = role ? session.tokens(role)?.accessToken : undefined;
    if (token) headers.authorization = `Bearer ${token}`;
    let body: BodyInit | undefined;
    if (opts.body instanceof FormData) body = opts.body;
    else if (opts.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
    return fetch(`${base.apiBase}${path}`, { method: opts.method ?? 'GET', headers, body, signal: opts.signal });
  };
  let res = await send();
  if (res.status === 401 && role && session.tokens(role) && (await refresh(role))) res = await send();
  if (!res.ok) throw await toError(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** A fresh idempotency key per booking attempt (retries of the same attempt reuse it). */
export const newIdempotencyKey = (): string =>
  typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
