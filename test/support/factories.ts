import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AccessTokenService } from '../../src/platform/auth/access-token.service';
import type { Actor, PrincipalKind, Role } from '../../src/platform/auth/actor';
import { hashPassword } from '../../src/platform/crypto/password';
import type { TestDatabase } from './test-database';

export interface TestTenant {
  id: string;
  slug: string;
  name: string;
}

/**
 * Builds fixtures through the administrator connection (RLS does not apply to a superuser), so a
 * test can arrange any state and then act as the app would. Tests assert through the API or the
 * app role, never through this connection.
 */
export class Factory {
  private seq = 0;

  constructor(
    private readonly admin: pg.Pool,
    private readonly app?: NestFastifyApplication,
  ) {}

  static async create(db: TestDatabase, app?: NestFastifyApplication): Promise<Factory> {
    return new Factory(new pg.Pool({ connectionString: db.adminUrl, max: 2 }), app);
  }

  async close(): Promise<void> {
    await this.admin.end();
  }

  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params: unknown[] = []) {
    return this.admin.query<R>(sql, params);
  }

  async newTenant(
    over: Partial<{ slug: string; name: string; status: string; themeColor: string }> = {},
  ): Promise<TestTenant> {
    const n = ++this.seq;
    const slug = over.slug ?? `store-${randomUUID().slice(0, 8)}`;
    const name = over.name ?? `测试门店${n}`;
    const { rows } = await this.admin.query<{ id: string }>(
      `INSERT INTO tenants (slug, name, status, city, display_name, theme_color)
       VALUES ($1, $2, $3, '上海', $2, $4) RETURNING id`,
      [slug, name, over.status ?? 'active', over.themeColor ?? '#ee0a24'],
    );
    return { id: rows[0]!.id, slug, name };
  }

  async newStaff(
    tenant: TestTenant,
    over: Partial<{ role: 'tenant_owner' | 'store_manager' | 'store_staff'; email: string; password: string }> = {},
  ): Promise<{ id: string; email: string; password: string }> {
    const email = over.email ?? `staff-${randomUUID().slice(0, 8)}@example.com`;
    const password = over.password ?? 'S3cure-password!';
    const { rows } = await this.admin.query<{ id: string }>(
      `INSERT INTO staff_accounts (tenant_id, email, password_hash, name, role)
       VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [tenant.id, email, await hashPassword(password), '店员', over.role ?? 'tenant_owner'],
    );
    return { id: rows[0]!.id, email, password };
  }

  /** A signed access token for any principal, as the sign-in flow would issue it. */
  async token(actor: { id: string; role: Role; tenantId: string | null; kind?: PrincipalKind }): Promise<string> {
    if (!this.app) throw new Error('Factory.token needs the app');
    const kind: PrincipalKind =
      actor.kind ??
      (actor.role === 'platform_operator'
        ? 'operator'
        : actor.role === 'customer' || actor.role === 'technician'
          ? actor.role
          : 'staff');
    const full: Actor = { ...actor, kind, sessionId: randomUUID() };
    return this.app.get(AccessTokenService).issue(full);
  }
}
