import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FieldCipher, LookupHasher } from '../src/platform/crypto/field-cipher';
import { verifyPassword } from '../src/platform/crypto/password';
import { TenantFileError } from '../src/modules/tenant-sync/load-tenant-files';
import { syncTenants, type SyncTenantsOptions } from '../src/modules/tenant-sync/sync-tenants';
import { storePhoneAad } from '../src/modules/store-profile/store-phone';
import { Factory } from './support/factories';
import { orderStore } from './support/order-fixtures';
import { createTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';

const TENANTS = join(__dirname, '..', 'tenants');
const TABLES = ['tenants', 'store_profiles', 'staff_accounts', 'platform_operators', 'platform_audit_events'];

/** A copy of tenants/ with each store's yaml passed through `edit`. */
async function copyTenants(edit: (slug: string, yaml: string) => string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tenants-sync-'));
  await cp(TENANTS, dir, { recursive: true });
  for (const slug of ['jingan-spa', 'chaoyang-yuzu', 'tianhe-kangshu']) {
    const file = join(dir, slug, 'tenant.yaml');
    await writeFile(file, edit(slug, await readFile(file, 'utf8')));
  }
  return dir;
}

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

  // one statement: a pg client runs one query at a time (queuing several is deprecated in pg 9)
  const counts = async () =>
    (
      await admin.query<Record<string, number>>(
        `SELECT ${TABLES.map((t) => `(SELECT count(*)::int FROM ${t}) AS "${t}"`).join(', ')}`,
      )
    ).rows[0]!;

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

describe('tenants:sync — the demo stores can take bookings', () => {
  let db: TestDatabase;
  let t: TestApp;
  let f: Factory;
  let opts: SyncTenantsOptions;
  const slugs = ['chaoyang-yuzu', 'jingan-spa', 'tianhe-kangshu'] as const;

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await createTestApp(db);
    f = await Factory.create(db, t.app);
    // The API's own keys: a demo technician's phone must be sealed and hashed as the SMS sign-in expects.
    opts = {
      appDatabaseUrl: db.appUrl,
      adminDatabaseUrl: db.adminUrl,
      dir: TENANTS,
      dataEncryptionKey: t.config.DATA_ENCRYPTION_KEY,
      lookupHashKey: t.config.LOOKUP_HASH_KEY,
      production: false,
    };
  });
  afterAll(async () => {
    await f?.close();
    await t?.close();
    await db?.drop();
  });

  /** Every row the sync manages (and the rows hanging off them), with updated_at, per store. */
  const managed = async () =>
    (
      await f.query(
        `SELECT t.slug,
                (SELECT json_agg(c ORDER BY c.sync_key) FROM service_categories c WHERE c.tenant_id = t.id) AS categories,
                (SELECT json_agg(s ORDER BY s.sync_key) FROM services s WHERE s.tenant_id = t.id) AS services,
                (SELECT json_agg(d ORDER BY d.service_id, d.minutes) FROM service_durations d WHERE d.tenant_id = t.id) AS durations,
                (SELECT json_agg(a ORDER BY a.sync_key) FROM service_addons a WHERE a.tenant_id = t.id) AS addons,
                (SELECT json_agg(r) FROM travel_fee_rules r WHERE r.tenant_id = t.id) AS travel_fee,
                (SELECT json_agg(x ORDER BY x.code) FROM technician_tiers x WHERE x.tenant_id = t.id) AS tiers,
                (SELECT json_agg(json_build_object('id', p.id, 'key', p.sync_key, 'status', p.status, 'online', p.online,
                          'phone_enc', encode(p.phone_enc, 'hex'), 'updated_at', p.updated_at) ORDER BY p.sync_key)
                   FROM technicians p WHERE p.tenant_id = t.id) AS technicians,
                (SELECT json_agg(st ORDER BY st.sync_key, st.id) FROM shift_templates st WHERE st.tenant_id = t.id) AS shifts
           FROM tenants t ORDER BY t.slug`,
      )
    ).rows;

  it('fills each store with its own catalog, tiers, approved technicians and weekly shifts', async () => {
    const report = await syncTenants(opts);
    expect(report.stores.map((s) => [s.slug, s.result])).toEqual(slugs.map((s) => [s, 'created']));
    const jingan = report.stores.find((s) => s.slug === 'jingan-spa')!;
    expect(jingan.technicians).toContainEqual({
      key: 'jingan-lin',
      displayName: '小雅',
      phone: '19900210001',
      result: 'created',
    });

    const counts = await f.query<{ slug: string; categories: number; services: number; technicians: number }>(
      `SELECT t.slug,
              (SELECT count(*)::int FROM service_categories c WHERE c.tenant_id = t.id AND c.active) AS categories,
              (SELECT count(*)::int FROM services s WHERE s.tenant_id = t.id AND s.active) AS services,
              (SELECT count(*)::int FROM technicians p WHERE p.tenant_id = t.id AND p.status = 'approved') AS technicians
         FROM tenants t ORDER BY t.slug`,
    );
    expect(counts.rows).toEqual([
      { slug: 'chaoyang-yuzu', categories: 3, services: 6, technicians: 4 },
      { slug: 'jingan-spa', categories: 3, services: 6, technicians: 4 },
      { slug: 'tianhe-kangshu', categories: 4, services: 7, technicians: 4 },
    ]);

    // What a customer sees: the public catalog of the store, prices in fen.
    const res = await t.app.inject({ method: 'GET', url: '/t/jingan-spa/api/catalog' });
    expect(res.statusCode).toBe(200);
    const catalog = res.json() as {
      categories: Array<{
        nameZh: string;
        services: Array<{ nameZh: string; durations: unknown[]; addons: unknown[] }>;
      }>;
      storeAddons: Array<{ kind: string; nameZh: string; minutes: number | null; priceFen: number }>;
      travelFee: Record<string, number | null>;
    };
    expect(catalog.categories.map((c) => c.nameZh)).toEqual(['精油SPA', '中医推拿', '足疗']);
    const full = catalog.categories[0]!.services[0]!;
    expect(full).toMatchObject({
      nameZh: '全身精油SPA',
      durations: [
        { minutes: 60, priceFen: 29800 },
        { minutes: 90, priceFen: 42800 },
        { minutes: 120, priceFen: 55800 },
      ],
      addons: [expect.objectContaining({ kind: 'material', nameZh: '火山热石', priceFen: 6800 })],
    });
    expect(catalog.storeAddons[0]).toMatchObject({
      kind: 'extension',
      nameZh: '加钟30分钟',
      minutes: 30,
      priceFen: 14900,
    });
    expect(catalog.travelFee).toMatchObject({
      freeRadiusM: 3000,
      pricePerKmFen: 300,
      nightStartMinute: 22 * 60,
      nightEndMinute: 6 * 60,
      nightSurchargeFen: 5000,
    });
    // The three stores sell different things.
    const names = await f.query<{ slug: string; names: string[] }>(
      `SELECT t.slug, array_agg(s.name_zh ORDER BY s.name_zh) AS names
         FROM services s JOIN tenants t ON t.id = s.tenant_id GROUP BY t.slug`,
    );
    const [a, b, c] = names.rows.map((r) => new Set(r.names));
    expect([...a!].filter((n) => b!.has(n) || c!.has(n))).toEqual([]);

    // Technicians: approved, tiered, phone sealed like any technician's (so the SMS sign-in finds them).
    const lin = await f.query(
      `SELECT p.*, x.code AS tier FROM technicians p JOIN tenants t ON t.id = p.tenant_id
         LEFT JOIN technician_tiers x ON x.tenant_id = p.tenant_id AND x.id = p.tier_id
        WHERE t.slug = 'jingan-spa' AND p.sync_key = 'jingan-lin'`,
    );
    const row = lin.rows[0]!;
    expect(row).toMatchObject({
      status: 'approved',
      name: '林小雅',
      display_name: '小雅',
      gender: 'female',
      tier: 'gold',
      skills: ['spa_oil', 'tuina'],
      online: true,
      home_lat: 31.229,
      last_lat: 31.229,
      phone_masked: '199****0001',
      id_number_enc: null,
    });
    expect(row.phone_enc.includes(Buffer.from('19900210001'))).toBe(false);
    expect(t.app.get(FieldCipher).decrypt(row.phone_enc, `${row.tenant_id}:technicians.phone`)).toBe('19900210001');
    expect(row.phone_hash.equals(t.app.get(LookupHasher).hash('phone', '19900210001'))).toBe(true);
    const chen = await f.query(`SELECT online FROM technicians WHERE sync_key = 'jingan-chen'`);
    expect(chen.rows[0]!.online).toBe(false);
    const shifts = await f.query<{ weekday: number; start_time: string; end_time: string }>(
      `SELECT weekday, start_time::text, end_time::text FROM shift_templates
        WHERE technician_id = $1 ORDER BY weekday`,
      [row.id],
    );
    expect(shifts.rows).toEqual([
      ...[1, 2, 3, 4, 5].map((weekday) => ({ weekday, start_time: '12:00:00', end_time: '23:00:00' })),
      { weekday: 6, start_time: '10:00:00', end_time: '20:00:00' },
    ]);
  });

  it('a second sync changes nothing', async () => {
    const before = await managed();
    const again = await syncTenants(opts);
    expect(again.stores.map((s) => s.result)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(again.stores.flatMap((s) => s.changes)).toEqual([]);
    expect(again.stores.flatMap((s) => s.technicians.map((x) => x.result))).toEqual(Array(12).fill('unchanged'));
    expect(await managed()).toEqual(before);
  });

  it('every service of every demo store has bookable slots on each of the next three days', async () => {
    const day = (n: number) =>
      new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() + n * 86_400_000));
    const days = [day(1), day(2), day(3)];
    for (const slug of slugs) {
      const catalog = (await t.app.inject({ method: 'GET', url: `/t/${slug}/api/catalog` })).json() as {
        categories: Array<{ services: Array<{ id: string; nameZh: string; durations: Array<{ minutes: number }> }> }>;
      };
      const profile = await f.query<{ lat: number; lng: number }>(
        `SELECT p.lat, p.lng FROM store_profiles p JOIN tenants t ON t.id = p.tenant_id WHERE t.slug = $1`,
        [slug],
      );
      const { lat, lng } = profile.rows[0]!;
      for (const s of catalog.categories.flatMap((c) => c.services)) {
        const res = await t.app.inject({
          method: 'GET',
          url: `/t/${slug}/api/availability`,
          query: {
            serviceId: s.id,
            durationMinutes: String(s.durations[0]!.minutes),
            lat: String(lat),
            lng: String(lng),
            from: days[0]!,
            to: days[2]!,
          },
        });
        expect(res.statusCode, `${slug} ${s.nameZh}: ${res.body}`).toBe(200);
        const slots = (res.json() as { slots: Array<{ localDate: string }> }).slots;
        expect(new Set(slots.map((x) => x.localDate)), `${slug} ${s.nameZh}`).toEqual(new Set(days));
      }
    }
  });

  it('edits update rows in place and retire removed ones; staff-made rows and other stores are untouched', async () => {
    // Made in the app by the store's owner: a category with a service, and an extra shift for a demo technician.
    const login = await t.app.inject({
      method: 'POST',
      url: '/t/jingan-spa/api/auth/staff/login',
      payload: { email: 'owner@jingan-spa.demo', password: 'demo-Owner-2026' },
    });
    expect(login.statusCode, login.body).toBe(200);
    const auth = { authorization: `Bearer ${(login.json() as { accessToken: string }).accessToken}` };
    const cat = await t.app.inject({
      method: 'POST',
      url: '/t/jingan-spa/api/admin/catalog/categories',
      headers: auth,
      payload: { nameZh: '季节限定' },
    });
    expect(cat.statusCode, cat.body).toBe(201);
    const svc = await t.app.inject({
      method: 'POST',
      url: '/t/jingan-spa/api/admin/catalog/services',
      headers: auth,
      payload: {
        categoryId: (cat.json() as { id: string }).id,
        nameZh: '桂花精油SPA',
        requiredSkills: ['spa_oil'],
        durations: [{ minutes: 60, priceFen: 25800 }],
      },
    });
    expect(svc.statusCode, svc.body).toBe(201);
    const lin = (await f.query(`SELECT id FROM technicians WHERE sync_key = 'jingan-lin'`)).rows[0]!.id as string;
    const shift = await t.app.inject({
      method: 'POST',
      url: `/t/jingan-spa/api/scheduling/technicians/${lin}/templates`,
      headers: auth,
      payload: { weekday: 7, startTime: '10:00', endTime: '14:00' },
    });
    expect(shift.statusCode, shift.body).toBe(201);
    // Another store, set up in the app, not in tenants/.
    const other = await f.newTenant({ slug: 'other-store' });
    await orderStore(f, other);
    await f.newTechnician(other, { status: 'approved', skills: ['spa_oil'] });
    const staffMade = async () =>
      (
        await f.query(
          `SELECT 'category' AS kind, to_jsonb(c) AS r FROM service_categories c WHERE sync_key IS NULL
           UNION ALL SELECT 'service', to_jsonb(s) FROM services s WHERE sync_key IS NULL
           UNION ALL SELECT 'duration', to_jsonb(d) FROM service_durations d
                      WHERE d.service_id IN (SELECT id FROM services WHERE sync_key IS NULL)
           UNION ALL SELECT 'addon', to_jsonb(a) FROM service_addons a WHERE sync_key IS NULL
           UNION ALL SELECT 'technician', to_jsonb(p) - 'phone_enc' - 'phone_hash' FROM technicians p WHERE sync_key IS NULL
           UNION ALL SELECT 'shift', to_jsonb(st) FROM shift_templates st WHERE sync_key IS NULL
           UNION ALL SELECT 'travel', to_jsonb(r) FROM travel_fee_rules r WHERE r.tenant_id = $1
           ORDER BY 1, 2`,
          [other.id],
        )
      ).rows;
    const before = await staffMade();
    expect(before.filter((r) => r.kind === 'service')).toHaveLength(2);
    const fullBefore = (await f.query(`SELECT id FROM services WHERE sync_key = 'jingan-aroma-full'`)).rows[0]!.id;

    const dir = await copyTenants((slug, y) =>
      slug !== 'jingan-spa'
        ? y
        : y
            .replace('{ minutes: 60, priceFen: 29800 }', '{ minutes: 60, priceFen: 31800 }')
            .replace(/ {8}- key: jingan-lavender-sleep\n(?: {10}.*\n| {12}.*\n)+/, '')
            .replace(
              "- { days: [sat], start: '10:00', end: '20:00' }",
              "- { days: [sat], start: '11:00', end: '20:00' }",
            ),
    );
    const edited = await syncTenants({ ...opts, dir });
    const jingan = edited.stores.find((s) => s.slug === 'jingan-spa')!;
    expect(jingan.result).toBe('updated');
    expect(jingan.changes.sort()).toEqual([
      'prices jingan-aroma-full',
      'retired service jingan-lavender-sleep',
      'shifts jingan-lin',
    ]);
    expect(edited.stores.filter((s) => s.slug !== 'jingan-spa').map((s) => s.result)).toEqual([
      'unchanged',
      'unchanged',
    ]);
    const full = await f.query(
      `SELECT s.id, d.price_fen FROM services s JOIN service_durations d ON d.service_id = s.id AND d.minutes = 60
        WHERE s.sync_key = 'jingan-aroma-full'`,
    );
    expect(full.rows).toEqual([{ id: fullBefore, price_fen: 31800 }]);
    const lavender = await f.query(`SELECT active FROM services WHERE sync_key = 'jingan-lavender-sleep'`);
    expect(lavender.rows).toEqual([{ active: false }]);
    const saturday = await f.query(
      `SELECT start_time::text FROM shift_templates WHERE technician_id = $1 AND weekday = 6`,
      [lin],
    );
    expect(saturday.rows).toEqual([{ start_time: '11:00:00' }]);
    expect(await staffMade()).toEqual(before);

    // The shipped files bring it all back.
    const back = await syncTenants(opts);
    expect(back.stores.find((s) => s.slug === 'jingan-spa')!.changes.sort()).toEqual([
      'prices jingan-aroma-full',
      'service jingan-lavender-sleep',
      'shifts jingan-lin',
    ]);
    expect(await staffMade()).toEqual(before);
  });
});
