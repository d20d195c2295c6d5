import type { FastifyReply, FastifyRequest } from 'fastify';
import { jwtVerify } from 'jose';
import type pg from 'pg';

export interface BaselineClaims {
  sub: string;
  role: string;
  tid: string | null;
}

/**
 * What a baseline handler may use: the same work the API must do for the request, done as
 * cheaply as possible (a pg pool of the same size, connecting as massage_app so RLS applies; an
 * HS256 verify with jose; a slug cache like the API's TenantDirectory). The ratio then measures
 * only the framework, ORM and middleware overhead.
 */
export class BaselineKit {
  private readonly key: Uint8Array;
  private readonly slugs = new Map<string, string | null>();

  constructor(
    readonly pool: pg.Pool,
    jwtSecret: string,
    private readonly issuer: string,
  ) {
    this.key = new TextEncoder().encode(jwtSecret);
  }

  /** The verified claims, or undefined after answering 401. */
  async authenticate(req: FastifyRequest, reply: FastifyReply): Promise<BaselineClaims | undefined> {
    const header = req.headers.authorization;
    if (!header?.startsWith('Bearer ')) {
      await reply.code(401).send({ code: 'UNAUTHORIZED' });
      return undefined;
    }
    try {
      const { payload } = await jwtVerify(header.slice(7), this.key, { issuer: this.issuer, algorithms: ['HS256'] });
      return payload as unknown as BaselineClaims;
    } catch {
      await reply.code(401).send({ code: 'UNAUTHORIZED' });
      return undefined;
    }
  }

  async tenantIdBySlug(slug: string): Promise<string | null> {
    if (this.slugs.has(slug)) return this.slugs.get(slug) ?? null;
    const { rows } = await this.pool.query<{ id: string }>('SELECT id FROM tenants WHERE slug = $1', [slug]);
    const id = rows[0]?.id ?? null;
    this.slugs.set(slug, id);
    return id;
  }

  /** BEGIN; set_config('app.tenant_id', …, true); work; COMMIT — the API's unit of work, by hand. */
  async inTenant<T>(tenantId: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query("SELECT set_config('app.tenant_id', $1, true)", [tenantId]);
      const out = await work(client);
      await client.query('COMMIT');
      return out;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }
}
