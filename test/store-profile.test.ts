import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Factory, type TestTenant } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';

describe('store profile', () => {
  let db: TestDatabase;
  let t: TestApp;
  let f: Factory;
  let a: TestTenant;
  let b: TestTenant;
  const tok: Record<string, string> = {};

  const call = (method: 'GET' | 'PATCH', tenant: TestTenant, path: string, token?: string, payload?: object) =>
    t.app.inject({
      method,
      url: `/t/${tenant.slug}${path}`,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(payload ? { payload } : {}),
    });

  const fieldsOf = (res: { json: () => { fields?: Array<{ field: string }> } }) =>
    (res.json().fields ?? []).map((x) => x.field);

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await createTestApp(db);
    f = await Factory.create(db, t.app);
    a = await f.newTenant({ name: '静安测试店', themeColor: '#112233' });
    b = await f.newTenant({ name: '朝阳测试店', themeColor: '#445566' });
    for (const role of ['tenant_owner', 'store_manager', 'store_staff'] as const) {
      const s = await f.newStaff(a, { role });
      tok[role] = await f.token({ id: s.id, role, tenantId: a.id });
    }
    const bOwner = await f.newStaff(b);
    tok.bOwner = await f.token({ id: bOwner.id, role: 'tenant_owner', tenantId: b.id });
    tok.customer = await f.token({ id: randomUUID(), role: 'customer', tenantId: a.id });
    tok.technician = await f.token({ id: randomUUID(), role: 'technician', tenantId: a.id });
    // B has a profile with a recognisable introduction that must never show up at A.
    const res = await call('PATCH', b, '/api/store/profile', tok.bOwner, {
      introduction: 'B-SECRET-INTRO',
      phone: '010-64168899',
    });
    expect(res.statusCode).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
    await f?.close();
    await db?.drop();
  });

  it('a store without a profile row still has a public page', async () => {
    const res = await call('GET', a, '/api/store');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      slug: a.slug,
      name: '静安测试店',
      themeColor: '#112233',
      status: 'active',
      closed: false,
      location: null,
      phoneMasked: null,
      serviceArea: null,
      photoUrls: [],
      openingHours: { mon: [], sun: [] },
    });
    expect(res.json().notice).toBeUndefined();
  });

  it('the owner edits the profile; the public page shows it with a masked phone', async () => {
    const patch = {
      address: '上海市静安区南京西路1788号',
      location: { lat: 31.2231, lng: 121.4462 },
      phone: '021-62881788',
      openingHours: { mon: [{ open: '10:00', close: '02:00' }], sat: [{ open: '09:00', close: '23:00' }] },
      introduction: '高端上门精油SPA',
      photoUrls: ['https://cdn.example.com/a.jpg'],
      serviceArea: { center: { lat: 31.2231, lng: 121.4462 }, radiusM: 8000 },
    };
    const res = await call('PATCH', a, '/api/store/profile', tok.tenant_owner, patch);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ phone: '021-62881788', phoneMasked: '021****1788' });

    const page = (await call('GET', a, '/api/store')).json();
    expect(page).toMatchObject({
      address: patch.address,
      location: patch.location,
      phoneMasked: '021****1788',
      introduction: '高端上门精油SPA',
      photoUrls: patch.photoUrls,
      serviceArea: { center: patch.location, radiusM: 8000 },
      openingHours: { mon: [{ open: '10:00', close: '02:00' }], tue: [], sat: [{ open: '09:00', close: '23:00' }] },
    });
    expect(JSON.stringify(page)).not.toContain('62881788');
    // stored encrypted, not in plain text
    const row = await f.query(`SELECT phone_enc FROM store_profiles WHERE tenant_id = $1`, [a.id]);
    expect((row.rows[0]!.phone_enc as Buffer).includes(Buffer.from('62881788'))).toBe(false);
    // the tenants directory row follows the address
    expect((await f.query(`SELECT address FROM tenants WHERE id = $1`, [a.id])).rows[0]!.address).toBe(patch.address);

    // switch to a polygon: the circle goes away
    const poly = [
      [31.2, 121.4],
      [31.2, 121.5],
      [31.25, 121.5],
    ];
    const res2 = await call('PATCH', a, '/api/store/profile', tok.tenant_owner, { serviceArea: { polygon: poly } });
    expect(res2.statusCode).toBe(200);
    expect(res2.json().serviceArea).toEqual({ polygon: poly });
    expect(res2.json().introduction).toBe('高端上门精油SPA'); // untouched fields stay

    const audit = await f.query(`SELECT count(*)::int AS n FROM audit_events WHERE tenant_id = $1 AND action = $2`, [
      a.id,
      'store.profile_updated',
    ]);
    expect(audit.rows[0]!.n).toBe(2);
  });

  it('managers and staff read the profile; customers and technicians cannot; anonymous → 401', async () => {
    for (const role of ['tenant_owner', 'store_manager', 'store_staff']) {
      expect((await call('GET', a, '/api/store/profile', tok[role])).statusCode).toBe(200);
    }
    expect((await call('GET', a, '/api/store/profile', tok.customer)).statusCode).toBe(403);
    expect((await call('GET', a, '/api/store/profile', tok.technician)).statusCode).toBe(403);
    expect((await call('GET', a, '/api/store/profile')).statusCode).toBe(401);
  });

  it('only the owner may change the profile or branding', async () => {
    for (const role of ['store_manager', 'store_staff', 'customer', 'technician']) {
      const p = await call('PATCH', a, '/api/store/profile', tok[role], { introduction: 'x' });
      expect(p.statusCode, role).toBe(403);
      const br = await call('PATCH', a, '/api/store/branding', tok[role], { themeColor: '#000000' });
      expect(br.statusCode, role).toBe(403);
    }
    expect((await call('GET', a, '/api/store/profile', tok.tenant_owner)).json().introduction).toBe('高端上门精油SPA');
  });

  it("a token of store A at store B is refused, and B's data never reaches A", async () => {
    expect((await call('GET', b, '/api/store/profile', tok.tenant_owner)).statusCode).toBe(403);
    expect(
      (await call('PATCH', b, '/api/store/profile', tok.tenant_owner, { introduction: 'hijack' })).statusCode,
    ).toBe(403);
    expect(
      (await call('PATCH', b, '/api/store/branding', tok.tenant_owner, { themeColor: '#000000' })).statusCode,
    ).toBe(403);
    const bRow = await f.query(`SELECT introduction FROM store_profiles WHERE tenant_id = $1`, [b.id]);
    expect(bRow.rows[0]!.introduction).toBe('B-SECRET-INTRO');
    for (const path of ['/api/store', '/api/store/profile']) {
      const body = (await call('GET', a, path, tok.tenant_owner)).body;
      expect(body).not.toContain('B-SECRET-INTRO');
      expect(body).not.toContain('64168899');
      expect(body).not.toContain(b.id);
    }
  });

  it('branding changes take effect on the next request', async () => {
    expect((await call('GET', a, '/api/store')).json().themeColor).toBe('#112233'); // cached in the directory
    const res = await call('PATCH', a, '/api/store/branding', tok.tenant_owner, {
      themeColor: '#b0417a',
      displayName: '悦享SPA·静安',
      logoUrl: '/tenant-assets/x/logo.svg',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ themeColor: '#b0417a', displayName: '悦享SPA·静安' });
    const page = (await call('GET', a, '/api/store')).json();
    expect(page).toMatchObject({
      themeColor: '#b0417a',
      displayName: '悦享SPA·静安',
      logoUrl: '/tenant-assets/x/logo.svg',
    });
    expect((await call('GET', b, '/api/store')).json().themeColor).toBe('#445566');
  });

  it('refuses bad input with 400 naming the field', async () => {
    const cases: Array<[string, object, string]> = [
      ['/api/store/branding', { themeColor: 'red' }, 'themeColor'],
      ['/api/store/branding', { themeColor: '#B0417A' }, 'themeColor'],
      ['/api/store/branding', { displayName: '' }, 'displayName'],
      ['/api/store/profile', { location: { lat: 200, lng: 121 } }, 'location.lat'],
      ['/api/store/profile', { serviceArea: { center: { lat: 31, lng: 121 }, radiusM: -5 } }, 'serviceArea.radiusM'],
      ['/api/store/profile', { serviceArea: { polygon: [[31, 121]] } }, 'serviceArea.polygon'],
      [
        '/api/store/profile',
        {
          serviceArea: {
            polygon: [
              [31, 121],
              [31, 122],
              [95, 121],
            ],
          },
        },
        'serviceArea.polygon',
      ],
      ['/api/store/profile', { phone: '12345' }, 'phone'],
      ['/api/store/profile', { openingHours: { mon: [{ open: '25:00', close: '10:00' }] } }, 'openingHours.mon.0.open'],
      [
        '/api/store/profile',
        { openingHours: { mon: [{ open: '10:00', close: '10:00' }] } },
        'openingHours.mon.0.close',
      ],
      ['/api/store/profile', { photoUrls: ['javascript:alert(1)'] }, 'photoUrls'],
      ['/api/store/profile', { unknownField: 1 }, 'unknownField'],
      [
        '/api/store/profile',
        {
          serviceArea: {
            center: { lat: 31, lng: 121 },
            radiusM: 500,
            polygon: [
              [31, 121],
              [31, 122],
              [32, 121],
            ],
          },
        },
        'serviceArea',
      ],
    ];
    for (const [path, payload, field] of cases) {
      const res = await call('PATCH', a, path, tok.tenant_owner, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(fieldsOf(res), JSON.stringify(payload)).toContain(field);
    }
    // nothing was written
    expect((await call('GET', a, '/api/store')).json().themeColor).toBe('#b0417a');
  });

  it('documents the routes in OpenAPI', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/docs-json' })).json();
    expect(Object.keys(doc.paths['/api/store/profile'])).toEqual(expect.arrayContaining(['get', 'patch']));
    expect(doc.paths['/api/store'].get).toBeDefined();
    expect(doc.paths['/api/store/branding'].patch).toBeDefined();
  });
});
