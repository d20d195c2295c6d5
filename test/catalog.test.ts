import Fastify from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BaselineKit } from '../load-tests/baseline/baseline-kit';
import { TOKEN_ISSUER } from '../load-tests/lib/app-kit';
import type { SeedContext } from '../load-tests/lib/scenario';
import catalogRead from '../load-tests/scenarios/catalog-read';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { createTestApp, type TestApp } from './support/test-app';
import { Factory, type TestTenant } from './support/factories';

describe('catalog', () => {
  let db: TestDatabase;
  let t: TestApp;
  let f: Factory;
  let a: TestTenant;
  let b: TestTenant;
  const tok: Record<string, string> = {};

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await createTestApp(db);
    f = await Factory.create(db, t.app);
    a = await f.newTenant();
    b = await f.newTenant();
    for (const [name, tenant, role] of [
      ['ownerA', a, 'tenant_owner'],
      ['managerA', a, 'store_manager'],
      ['staffA', a, 'store_staff'],
      ['ownerB', b, 'tenant_owner'],
    ] as const) {
      const s = await f.newStaff(tenant, { role });
      tok[name] = await f.token({ id: s.id, role, tenantId: tenant.id });
    }
    tok.customerA = await f.token({ id: crypto.randomUUID(), role: 'customer', tenantId: a.id });
  });
  afterAll(async () => {
    await f?.close();
    await t?.close();
    await db?.drop();
  });

  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    tenant: TestTenant,
    path: string,
    token?: string,
    payload?: object,
    headers: Record<string, string> = {},
  ) =>
    t.app.inject({
      method,
      url: `/t/${tenant.slug}/api/${path}`,
      headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(payload ? { payload } : {}),
    });

  async function seedCatalog(tenant: TestTenant, token: string, categoryName = '中医推拿') {
    const cat = await call('POST', tenant, 'admin/catalog/categories', token, {
      nameZh: categoryName,
      nameEn: 'Tuina',
      sortOrder: 1,
    });
    expect(cat.statusCode).toBe(201);
    const svc = await call('POST', tenant, 'admin/catalog/services', token, {
      categoryId: cat.json().id,
      nameZh: '全身推拿',
      requiredSkills: ['tuina'],
      images: ['https://cdn.example.com/a.jpg'],
      durations: [
        { minutes: 90, priceFen: 26800 },
        { minutes: 60, priceFen: 19800 },
      ],
    });
    expect(svc.statusCode).toBe(201);
    return { categoryId: cat.json().id as string, serviceId: svc.json().id as string };
  }

  it('lets a manager build the catalog and customers read it publicly, cheapest duration first', async () => {
    const { categoryId, serviceId } = await seedCatalog(a, tok.managerA!);
    const ext = await call('POST', a, 'admin/catalog/addons', tok.managerA, {
      kind: 'extension',
      nameZh: '加钟30分钟',
      minutes: 30,
      priceFen: 9900,
      maxQuantity: 4,
    });
    expect(ext.statusCode).toBe(201);
    const oil = await call('POST', a, 'admin/catalog/addons', tok.managerA, {
      serviceId,
      kind: 'material',
      nameZh: '精油',
      priceFen: 3000,
    });
    expect(oil.statusCode).toBe(201);
    const fee = await call('PUT', a, 'admin/catalog/travel-fee', tok.ownerA, {
      freeRadiusM: 3000,
      pricePerKmFen: 200,
      nightStart: '22:00',
      nightEnd: '06:00',
      nightSurchargeFen: 5000,
      minimumOrderFen: 19800,
    });
    expect(fee.statusCode).toBe(200);
    expect(fee.json()).toMatchObject({ nightStart: '22:00', nightEnd: '06:00' });

    const res = await call('GET', a, 'catalog');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.categories).toHaveLength(1);
    expect(body.categories[0]).toMatchObject({ id: categoryId, nameZh: '中医推拿' });
    expect(body.categories[0].services[0]).toMatchObject({
      id: serviceId,
      requiredSkills: ['tuina'],
      durations: [
        { minutes: 60, priceFen: 19800 },
        { minutes: 90, priceFen: 26800 },
      ],
      addons: [{ id: oil.json().id, kind: 'material', priceFen: 3000 }],
    });
    expect(body.storeAddons).toEqual([expect.objectContaining({ id: ext.json().id, minutes: 30, maxQuantity: 4 })]);
    expect(body.travelFee).toMatchObject({ freeRadiusM: 3000, nightStartMinute: 1320, nightEndMinute: 360 });

    // ETag: unchanged catalog → 304; a change → a new tag
    const etag = res.headers.etag as string;
    expect((await call('GET', a, 'catalog', undefined, undefined, { 'if-none-match': etag })).statusCode).toBe(304);
    await call('PATCH', a, `admin/catalog/services/${serviceId}`, tok.managerA, { nameZh: '全身推拿（新）' });
    const after = await call('GET', a, 'catalog', undefined, undefined, { 'if-none-match': etag });
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(etag);

    const detail = await call('GET', a, `catalog/services/${serviceId}`, tok.customerA);
    expect(detail.statusCode).toBe(200);
    expect(
      detail
        .json()
        .addons.map((x: { id: string }) => x.id)
        .sort(),
    ).toEqual([ext.json().id, oil.json().id].sort());
  });

  it('hides inactive services and categories from customers but not from staff', async () => {
    const { categoryId, serviceId } = await seedCatalog(b, tok.ownerB!);
    expect(
      (await call('PATCH', b, `admin/catalog/services/${serviceId}`, tok.ownerB, { active: false })).statusCode,
    ).toBe(200);
    expect((await call('GET', b, 'catalog')).json().categories).toEqual([]);
    expect((await call('GET', b, `catalog/services/${serviceId}`)).statusCode).toBe(404);
    const staffView = await call('GET', b, 'admin/catalog', tok.ownerB);
    expect(staffView.json().services.map((s: { id: string }) => s.id)).toContain(serviceId);

    await call('PATCH', b, `admin/catalog/services/${serviceId}`, tok.ownerB, { active: true });
    await call('PATCH', b, `admin/catalog/categories/${categoryId}`, tok.ownerB, { active: false });
    expect((await call('GET', b, `catalog/services/${serviceId}`)).statusCode).toBe(404);
    await call('PATCH', b, `admin/catalog/categories/${categoryId}`, tok.ownerB, { active: true });
    expect((await call('GET', b, `catalog/services/${serviceId}`)).statusCode).toBe(200);
  });

  it('lets staff read but not write; customers and anonymous callers cannot use staff routes', async () => {
    expect((await call('GET', a, 'admin/catalog', tok.staffA)).statusCode).toBe(200);
    expect((await call('POST', a, 'admin/catalog/categories', tok.staffA, { nameZh: '足疗' })).statusCode).toBe(403);
    expect(
      (
        await call('PUT', a, 'admin/catalog/travel-fee', tok.staffA, {
          freeRadiusM: 0,
          pricePerKmFen: 0,
          nightSurchargeFen: 0,
          minimumOrderFen: 0,
        })
      ).statusCode,
    ).toBe(403);
    expect((await call('GET', a, 'admin/catalog', tok.customerA)).statusCode).toBe(403);
    expect((await call('POST', a, 'admin/catalog/categories', tok.customerA, { nameZh: '足疗' })).statusCode).toBe(403);
    expect((await call('GET', a, 'admin/catalog')).statusCode).toBe(401);
  });

  it('answers 400 naming the field for bad input', async () => {
    const { categoryId } = await seedCatalog(a, tok.ownerA!, '足疗');
    const base = { categoryId, nameZh: '足疗', durations: [{ minutes: 60, priceFen: 9900 }] };
    const cases: [object, string][] = [
      [{ ...base, durations: [{ minutes: 60, priceFen: -1 }] }, 'durations.0.priceFen'],
      [{ ...base, durations: [{ minutes: 7, priceFen: 100 }] }, 'durations.0.minutes'],
      [
        {
          ...base,
          durations: [
            { minutes: 60, priceFen: 1 },
            { minutes: 60, priceFen: 2 },
          ],
        },
        'durations',
      ],
      [{ ...base, durations: [] }, 'durations'],
      [{ ...base, categoryId: crypto.randomUUID() }, 'categoryId'],
      [{ ...base, requiredSkills: ['Tui Na!'] }, 'requiredSkills'],
      [{ ...base, images: [crypto.randomUUID()] }, 'images'],
      [{ ...base, images: ['http://insecure.example.com/a.jpg'] }, 'images'],
    ];
    for (const [payload, field] of cases) {
      const res = await call('POST', a, 'admin/catalog/services', tok.ownerA, payload);
      expect(res.statusCode, field).toBe(400);
      expect(
        res.json().fields.map((x: { field: string }) => x.field),
        field,
      ).toContain(field);
    }
    const badAddon = await call('POST', a, 'admin/catalog/addons', tok.ownerA, {
      kind: 'extension',
      nameZh: '加钟',
      priceFen: 100,
    });
    expect(badAddon.json().fields[0].field).toBe('minutes');
    const matMinutes = await call('POST', a, 'admin/catalog/addons', tok.ownerA, {
      kind: 'material',
      nameZh: '毛巾',
      minutes: 10,
      priceFen: 100,
    });
    expect(matMinutes.json().fields[0].field).toBe('minutes');
    const night = await call('PUT', a, 'admin/catalog/travel-fee', tok.ownerA, {
      freeRadiusM: 0,
      pricePerKmFen: 0,
      nightStart: '22:00',
      nightSurchargeFen: 0,
      minimumOrderFen: 0,
    });
    expect(night.statusCode).toBe(400);
    expect(night.json().fields[0].field).toBe('nightEnd');
    const dup = await call('POST', a, 'admin/catalog/categories', tok.ownerA, { nameZh: '中医推拿' });
    expect(dup.statusCode).toBe(409);
  });

  it('keeps stores apart: B’s ids via A → 404, A’s token at B → 403', async () => {
    const bCatalog = (await call('GET', b, 'admin/catalog', tok.ownerB)).json();
    const bService = bCatalog.services[0].id as string;
    const bCategory = bCatalog.categories[0].id as string;
    const missing = await call('GET', a, `admin/catalog/services/${crypto.randomUUID()}`, tok.ownerA);
    const viaA = await call('GET', a, `admin/catalog/services/${bService}`, tok.ownerA);
    expect(viaA.statusCode).toBe(404);
    expect(viaA.json().message).toBe(missing.json().message);
    expect((await call('PATCH', a, `admin/catalog/services/${bService}`, tok.ownerA, { nameZh: 'x' })).statusCode).toBe(
      404,
    );
    expect(
      (await call('PATCH', a, `admin/catalog/categories/${bCategory}`, tok.ownerA, { nameZh: 'x' })).statusCode,
    ).toBe(404);
    expect((await call('GET', a, `catalog/services/${bService}`)).statusCode).toBe(404);
    // using B's category for a service of A is "unknown category", not a foreign key leak
    const cross = await call('POST', a, 'admin/catalog/services', tok.ownerA, {
      categoryId: bCategory,
      nameZh: '偷',
      durations: [{ minutes: 60, priceFen: 1 }],
    });
    expect(cross.statusCode).toBe(400);
    expect((await call('GET', b, 'admin/catalog', tok.ownerA)).statusCode).toBe(403);
    expect((await call('POST', b, 'admin/catalog/categories', tok.managerA, { nameZh: 'x' })).statusCode).toBe(403);
    const { rows } = await f.query(`SELECT count(*)::int AS n FROM services WHERE tenant_id = $1 AND name_zh = 'x'`, [
      b.id,
    ]);
    expect(rows[0]!.n).toBe(0);
  });

  it('quotes a price in fen from the stored rules, and answers 400 naming the field', async () => {
    const cat = (await call('GET', a, 'catalog')).json();
    const svc = cat.categories
      .flatMap((c: { services: { id: string; nameZh: string; addons: { id: string }[] }[] }) => c.services)
      .find((x: { nameZh: string }) => x.nameZh === '全身推拿（新）');
    const ext = cat.storeAddons[0].id as string;
    const oil = svc.addons[0].id as string;
    const body = {
      serviceId: svc.id,
      durationMinutes: 90,
      addons: [
        { addonId: ext, quantity: 2 },
        { addonId: oil, quantity: 1 },
      ],
      distanceMeters: 7500,
      startAt: '2026-11-25T23:30:00+08:00',
    };
    const res = await call('POST', a, 'catalog/quote', tok.customerA, body);
    expect(res.statusCode).toBe(200);
    // 26800 + 2 × 9900 + 3000 + 5 km × 200 + night 5000
    expect(res.json()).toMatchObject({ totalFen: 55600, totalMinutes: 150, nightSurchargeApplied: true });
    const day = await call('POST', a, 'catalog/quote', undefined, { ...body, startAt: '2026-11-25T14:00:00+08:00' });
    expect(day.json().totalFen).toBe(50600);

    const bad: [object, string, string][] = [
      [{ ...body, durationMinutes: 75 }, 'durationMinutes', 'DURATION_NOT_OFFERED'],
      [{ ...body, addons: [{ addonId: crypto.randomUUID(), quantity: 1 }] }, 'addons.0.addonId', 'VALIDATION_FAILED'],
      [{ ...body, addons: [{ addonId: ext, quantity: 5 }] }, 'addons.0.quantity', 'ADDON_QUANTITY_OUT_OF_RANGE'],
      [{ ...body, serviceId: crypto.randomUUID() }, 'serviceId', 'VALIDATION_FAILED'],
      [{ ...body, distanceMeters: -5 }, 'distanceMeters', 'VALIDATION_FAILED'],
    ];
    for (const [payload, field, code] of bad) {
      const r = await call('POST', a, 'catalog/quote', undefined, payload);
      expect(r.statusCode, field).toBe(400);
      expect(r.json().code, field).toBe(code);
      expect(r.json().fields.map((x: { field: string }) => x.field)).toContain(field);
    }
    // a service of store B is simply unknown at store A
    const bService = (await call('GET', b, 'admin/catalog', tok.ownerB)).json().services[0].id as string;
    const cross = await call('POST', a, 'catalog/quote', undefined, { ...body, serviceId: bService, addons: [] });
    expect(cross.statusCode).toBe(400);
    expect(cross.json().fields[0].field).toBe('serviceId');
  });

  it('replaces duration options on update', async () => {
    const { serviceId } = await seedCatalog(a, tok.ownerA!, '精油SPA');
    const res = await call('PATCH', a, `admin/catalog/services/${serviceId}`, tok.ownerA, {
      durations: [{ minutes: 120, priceFen: 0 }],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().durations).toEqual([{ minutes: 120, priceFen: 0 }]);
  });
});

describe('catalog-read bench baseline answers exactly what the API answers', () => {
  let db: TestDatabase;
  let t: TestApp;
  let admin: pg.Pool;
  let appPool: pg.Pool;
  const baseline = Fastify();

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await createTestApp(db);
    admin = new pg.Pool({ connectionString: db.adminUrl, max: 2 });
    appPool = new pg.Pool({ connectionString: db.appUrl, max: 2 });
  });
  afterAll(async () => {
    await baseline.close();
    await appPool?.end();
    await admin?.end();
    await t?.close();
    await db?.drop();
  });

  it('same body, same ETag, same 304', async () => {
    // the catalog seed needs only the admin pool (no tokens, no encrypted columns)
    const state = await catalogRead.seed({ admin } as unknown as SeedContext);
    catalogRead.baseline!.register(baseline, new BaselineKit(appPool, t.config.JWT_SECRET, TOKEN_ISSUER), state);
    const [req] = catalogRead.requests(state);
    const fromApi = await t.app.inject({ method: 'GET', url: req!.path! });
    const fromBaseline = await baseline.inject({ method: 'GET', url: req!.path! });
    expect(fromApi.statusCode).toBe(200);
    expect(() => catalogRead.checkResponse!(200, fromApi.json(), state)).not.toThrow();
    expect(fromBaseline.body).toBe(fromApi.body);
    expect(fromBaseline.headers.etag).toBe(fromApi.headers.etag);
    expect(fromApi.headers['content-type']).toBe('application/json; charset=utf-8');
    const etag = { 'if-none-match': fromApi.headers.etag as string };
    expect((await t.app.inject({ method: 'GET', url: req!.path!, headers: etag })).statusCode).toBe(304);
    expect((await baseline.inject({ method: 'GET', url: req!.path!, headers: etag })).statusCode).toBe(304);
  });
});
