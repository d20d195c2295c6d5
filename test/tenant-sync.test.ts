import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FieldCipher } from '../src/platform/crypto/field-cipher';
import { verifyPassword } from '../src/platform/crypto/password';
import { TenantFileError } from '../src/modules/tenant-sync/load-tenant-files';
import { syncTenants, type SyncTenantsOptions } from '../src/modules/tenant-sync/sync-tenants';
import { storePhoneAad } from '../src/modules/store-profile/store-phone';
import { createTestDatabase, type TestDatabase } from './support/test-database';

const TENANTS = join(__dirname, '..', 'tenants');
const TABLES = ['tenants', 'store_profiles', 'staff_accounts', 'platform_operators', 'platform_audit_events'];

describe('tenants:sync', () => {
  let db: TestDatabase;
  let admin: pg.Client;
  let opts: SyncTenantsOptions;

  beforeAll(async () => {
    db = await createTestDatabase();
    admin = new pg.Client({ connectionString: db.adminUrl });
    await admin.connect();
    opts = {
      appDatabaseUrl: db.appUrl,
      adminDatabaseUrl: db.adminUrl,
      dir: TENANTS,
      dataEncryptionKey: randomBytes(32).toString('base64'),
      lookupHashKey: randomBytes(32).toString('base64'),
      production: false,
    };
  });
  afterAll(async () => {
    await admin?.end();
    await db?.drop();
  });

  const counts = async () =>
    Object.fromEntries(
      await Promise.all(
        TABLES.map(async (t) => [t, Number((await admin.query(`SELECT count(*) FROM ${t}`)).rows[0].count)] as const),
      ),
    );

  async function copyTenants(edit: (slug: string, yaml: string) => string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'tenants-sync-'));
    await cp(TENANTS, dir, { recursive: true });
    for (const slug of ['jingan-spa', 'chaoyang-yuzu', 'tianhe-kangshu']) {
      const file = join(dir, slug, 'tenant.yaml');
      await writeFile(file, edit(slug, await readFile(file, 'utf8')));
    }
    return dir;
  }

  it('creates the demo stores, profiles, staff and operators; a second run changes nothing', async () => {
    const first = await syncTenants(opts);
    expect(first.stores.map((s) => [s.slug, s.result])).toEqual([
      ['chaoyang-yuzu', 'created'],
      ['jingan-spa', 'created'],
      ['tianhe-kangshu', 'created'],
    ]);
    expect(first.stores.flatMap((s) => s.staff.map((a) => a.result))).toEqual(Array(9).fill('created'));
    expect(first.operators).toEqual([expect.objectContaining({ email: 'ops@platform.demo', result: 'created' })]);
    // demo logins are reported so the launcher can print them
    expect(first.stores[1]!.staff[0]).toMatchObject({ email: 'owner@jingan-spa.demo', password: 'demo-Owner-2026' });
    const after1 = await counts();
    expect(after1).toMatchObject({ tenants: 3, store_profiles: 3, staff_accounts: 9, platform_operators: 1 });

    const { rows } = await admin.query(
      `SELECT t.status, t.approved_at, t.theme_color, t.logo_url, p.lat, p.area_radius_m, p.area_polygon, p.phone_masked, p.phone_enc
         FROM tenants t JOIN store_profiles p ON p.tenant_id = t.id ORDER BY t.slug`,
    );
    expect(rows.map((r) => r.status)).toEqual(['active', 'active', 'active']);
    expect(rows.every((r) => r.approved_at instanceof Date)).toBe(true);
    expect(rows[1]).toMatchObject({
      theme_color: '#b0417a',
      logo_url: '/tenant-assets/jingan-spa/logo.svg',
      lat: 31.2231,
      area_radius_m: 8000,
      area_polygon: null,
      phone_masked: '021****1788',
    });
    expect(rows[1].phone_enc.includes(Buffer.from('62881788'))).toBe(false);
    expect(rows[2].area_polygon).toHaveLength(5);
    // status changes went through the audited platform function
    const audit = await admin.query(
      `SELECT count(*)::int AS n FROM platform_audit_events WHERE actor_id = 'tenants-sync' AND action = 'tenant.status.active'`,
    );
    expect(audit.rows[0].n).toBe(3);

    const hashes = await admin.query(`SELECT password_hash, updated_at FROM staff_accounts ORDER BY email`);
    const second = await syncTenants(opts);
    expect(second.stores.map((s) => s.result)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(second.stores.flatMap((s) => s.changes)).toEqual([]);
    expect(second.stores.flatMap((s) => s.staff.map((a) => a.result))).toEqual(Array(9).fill('unchanged'));
    expect(second.operators[0]!.result).toBe('unchanged');
    expect(await counts()).toEqual(after1);
    // nothing re-hashed or touched
    expect((await admin.query(`SELECT password_hash, updated_at FROM staff_accounts ORDER BY email`)).rows).toEqual(
      hashes.rows,
    );
  });

  it('propagates edits: branding, status (suspend with reason), profile, a new password', async () => {
    const dir = await copyTenants((slug, y) =>
      slug !== 'jingan-spa'
        ? y
        : y
            .replace("themeColor: '#b0417a'", "themeColor: '#123abc'")
            .replace('status: active', 'status: suspended\nstatusReason: 资质年检中')
            .replace('radiusKm: 8', 'radiusKm: 5.5')
            .replace('phone: 021-62881788', 'phone: 021-62889999')
            .replace('password: demo-Manager-2026', 'password: demo-Manager-2027'),
    );
    const report = await syncTenants({ ...opts, dir });
    const jingan = report.stores.find((s) => s.slug === 'jingan-spa')!;
    expect(jingan.result).toBe('updated');
    expect(jingan.changes).toEqual(
      expect.arrayContaining([
        'tenant.theme_color',
        'status active→suspended',
        'profile',
        'staff manager@jingan-spa.demo',
      ]),
    );
    expect(report.stores.filter((s) => s.slug !== 'jingan-spa').map((s) => s.result)).toEqual([
      'unchanged',
      'unchanged',
    ]);
    const { rows } = await admin.query(
      `SELECT t.id, t.status, t.status_reason, t.theme_color, p.area_radius_m, p.phone_enc
         FROM tenants t JOIN store_profiles p ON p.tenant_id = t.id WHERE t.slug = 'jingan-spa'`,
    );
    expect(rows[0]).toMatchObject({
      status: 'suspended',
      status_reason: '资质年检中',
      theme_color: '#123abc',
      area_radius_m: 5500,
    });
    expect(new FieldCipher(opts.dataEncryptionKey).decrypt(rows[0].phone_enc, storePhoneAad(rows[0].id))).toBe(
      '021-62889999',
    );
    const manager = await admin.query(
      `SELECT password_hash FROM staff_accounts WHERE email = 'manager@jingan-spa.demo'`,
    );
    expect(await verifyPassword(manager.rows[0].password_hash, 'demo-Manager-2027')).toBe(true);

    // and back: the shipped files reactivate the store
    const back = await syncTenants(opts);
    expect(back.stores.find((s) => s.slug === 'jingan-spa')!.changes).toContain('status suspended→active');
    expect((await syncTenants(opts)).stores.map((s) => s.result)).toEqual(['unchanged', 'unchanged', 'unchanged']);
  });

  it('refuses an invalid file, naming the file and field, and writes nothing', async () => {
    const before = await counts();
    const dir = await copyTenants((slug, y) => (slug === 'tianhe-kangshu' ? y.replace("'#0f8b6c'", 'red') : y));
    const err = await syncTenants({ ...opts, dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TenantFileError);
    expect((err as TenantFileError).problems).toEqual([
      expect.stringMatching(/tianhe-kangshu\/tenant\.yaml: branding\.themeColor must be #rrggbb/),
    ]);
    expect(await counts()).toEqual(before);
  });

  it('refuses demo stores in production', async () => {
    await expect(syncTenants({ ...opts, production: true })).rejects.toThrow(
      /refusing to sync demo files in production/,
    );
  });

  it('two syncs at once create each store once', async () => {
    const fresh = await createTestDatabase();
    try {
      const o = { ...opts, appDatabaseUrl: fresh.appUrl, adminDatabaseUrl: fresh.adminUrl };
      const [a, b] = await Promise.all([syncTenants(o), syncTenants(o)]);
      const created = [...a.stores, ...b.stores].filter((s) => s.result === 'created').map((s) => s.slug);
      expect(created.sort()).toEqual(['chaoyang-yuzu', 'jingan-spa', 'tianhe-kangshu']);
      const c = new pg.Client({ connectionString: fresh.adminUrl });
      await c.connect();
      expect((await c.query('SELECT count(*)::int AS n FROM staff_accounts')).rows[0].n).toBe(9);
      expect((await c.query('SELECT count(*)::int AS n FROM platform_operators')).rows[0].n).toBe(1);
      expect([...a.operators, ...b.operators].map((o) => o.result).sort()).toEqual(['created', 'unchanged']);
      await c.end();
    } finally {
      await fresh.drop();
    }
  });
});
