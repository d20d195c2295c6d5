import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AccessTokenService } from '../../src/platform/auth/access-token.service';
import type { Actor, PrincipalKind, Role } from '../../src/platform/auth/actor';
import { hashPassword } from '../../src/platform/crypto/password';
import { FieldCipher, LookupHasher } from '../../src/platform/crypto/field-cipher';
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
    const pool = new pg.Pool({ connectionString: db.adminUrl, max: 2 });
    // The test database is dropped WITH (FORCE) at the end; an idle client killed by that must
    // not surface as an uncaught exception in whichever test file runs next in the worker.
    pool.on('error', () => undefined);
    return new Factory(pool, app);
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

  /**
   * A technician as the SMS sign-in creates them (status `applicant`, a random 139 number sealed
   * with the app's keys, so it can sign in and receive notices), or in any other state.
   */
  async newTechnician(
    tenant: TestTenant,
    over: Partial<{ status: string; name: string; skills: string[]; displayName: string }> = {},
  ): Promise<{ id: string; phone: string; phoneTail: string }> {
    if (!this.app) throw new Error('Factory.newTechnician needs the app (its keys seal the phone)');
    const phone = `139${String(randomBytes(4).readUInt32BE() % 100_000_000).padStart(8, '0')}`;
    const tail = phone.slice(7);
    const phoneEnc = this.app.get(FieldCipher).encrypt(phone, `${tenant.id}:technicians.phone`);
    const phoneHash = this.app.get(LookupHasher).hash('phone', phone);
    const { rows } = await this.admin.query<{ id: string }>(
      `INSERT INTO technicians (tenant_id, phone_enc, phone_hash, phone_masked, name, display_name, status, skills,
                                rejection_reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, CASE WHEN $7 = 'rejected' THEN '资料不全' END) RETURNING id`,
      [
        tenant.id,
        phoneEnc,
        phoneHash,
        `139****${tail}`,
        over.name ?? null,
        over.displayName ?? null,
        over.status ?? 'applicant',
        over.skills ?? [],
      ],
    );
    return { id: rows[0]!.id, phone, phoneTail: tail };
  }

  /** A `files` row as an upload would leave it (the bytes are not needed by reference checks). */
  async newFile(
    tenant: TestTenant,
    uploader: { type: 'staff' | 'customer' | 'technician'; id: string },
    kind: 'image' | 'certificate' = 'image',
  ): Promise<string> {
    const id = randomUUID();
    const sensitive = kind === 'certificate';
    await this.admin.query(
      `INSERT INTO files (tenant_id, id, kind, content_type, size_bytes, storage_key, sha256, uploader_type,
                          uploaded_by, sensitive, encrypted)
       VALUES ($1, $2, $3, 'image/png', 100, $4, $5, $6, $7, $8, $8)`,
      [
        tenant.id,
        id,
        kind,
        `tenants/${tenant.id}/${kind}/${id}.png`,
        randomBytes(32).toString('hex'),
        uploader.type,
        uploader.id,
        sensitive,
      ],
    );
    return id;
  }

  /** A platform operator (平台运营) who signs in at /api/platform/auth/login. */
  async newOperator(
    over: Partial<{ email: string; password: string; disabled: boolean }> = {},
  ): Promise<{ id: string; email: string; password: string }> {
    const email = over.email ?? `op-${randomUUID().slice(0, 8)}@platform.example.com`;
    const password = over.password ?? 'Operator-pass-1!';
    const { rows } = await this.admin.query<{ id: string }>(
      `INSERT INTO platform_operators (email, password_hash, name, disabled_at)
       VALUES ($1, $2, '运营', CASE WHEN $3 THEN now() END) RETURNING id`,
      [email, await hashPassword(password), over.disabled ?? false],
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
