import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Factory, type TestTenant } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

describe('scheduling: shifts, overrides, week view, booking settings', () => {
  let db: TestDatabase;
  let t: TestApp;
  let f: Factory;
  let store: TestTenant;
  let other: TestTenant;
  let berlin: TestTenant;
  const tokens: Record<string, string> = {};
  let techA: string;
  let techB: string;
  let foreignTech: string;
  let berlinTech: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await createTestApp(db);
    f = await Factory.create(db, t.app);
    store = await f.newTenant();
    other = await f.newTenant();
    berlin = await f.newTenant();
    await f.query(`UPDATE tenants SET timezone = 'Europe/Berlin' WHERE id = $1`, [berlin.id]);
    techA = (await f.newTechnician(store, { status: 'approved' })).id;
    techB = (await f.newTechnician(store, { status: 'approved' })).id;
    foreignTech = (await f.newTechnician(other, { status: 'approved' })).id;
    berlinTech = (await f.newTechnician(berlin, { status: 'approved' })).id;
    for (const role of ['tenant_owner', 'store_manager', 'store_staff'] as const) {
      tokens[role] = await f.token({ id: (await f.newStaff(store, { role })).id, role, tenantId: store.id });
    }
    tokens.techA = await f.token({ id: techA, role: 'technician', tenantId: store.id });
    tokens.customer = await f.token({ id: crypto.randomUUID(), role: 'customer', tenantId: store.id });
    tokens.otherOwner = await f.token({ id: (await f.newStaff(other)).id, role: 'tenant_owner', tenantId: other.id });
    tokens.berlinOwner = await f.token({
      id: (await f.newStaff(berlin)).id,
      role: 'tenant_owner',
      tenantId: berlin.id,
    });
  });
  afterAll(async () => {
    await f?.close();
    await t?.close();
    await db?.drop();
  });

  const call = (method: Method, path: string, token?: string, payload?: object, tenant = store) =>
    t.app.inject({
      method,
      url: `/t/${tenant.slug}/api/scheduling/${path}`,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(payload ? { payload } : {}),
    });

  describe('weekly templates', () => {
    it('lets owners and managers add, change and remove shifts', async () => {
      const created = await call('POST', `technicians/${techA}/templates`, tokens.store_manager, {
        weekday: 1,
        startTime: '10:00',
        endTime: '18:00',
      });
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({ technicianId: techA, weekday: 1, startTime: '10:00', endTime: '18:00' });
      const id = created.json().id as string;

      const changed = await call('PATCH', `templates/${id}`, tokens.tenant_owner, { endTime: '02:00' });
      expect(changed.statusCode).toBe(200);
      expect(changed.json()).toMatchObject({ startTime: '10:00', endTime: '02:00' });

      const list = await call('GET', `technicians/${techA}/templates`, tokens.store_staff);
      expect(list.statusCode).toBe(200);
      expect(list.json()).toEqual([expect.objectContaining({ id, endTime: '02:00' })]);

      expect((await call('DELETE', `templates/${id}`, tokens.tenant_owner)).statusCode).toBe(204);
      expect((await call('GET', `technicians/${techA}/templates`, tokens.tenant_owner)).json()).toEqual([]);
    });

    it('names the bad field', async () => {
      const res = await call('POST', `technicians/${techA}/templates`, tokens.tenant_owner, {
        weekday: 8,
        startTime: '25:00',
        endTime: '10:00',
      });
      expect(res.statusCode).toBe(400);
      expect(
        res
          .json()
          .fields.map((x: { field: string }) => x.field)
          .sort(),
      ).toEqual(['startTime', 'weekday']);
      const same = await call('POST', `technicians/${techA}/templates`, tokens.tenant_owner, {
        weekday: 2,
        startTime: '10:00',
        endTime: '10:00',
      });
      expect(same.statusCode).toBe(400);
      expect(same.json().fields[0].field).toBe('endTime');
    });

    it('keeps staff, technicians and customers read-only or out', async () => {
      const body = { weekday: 3, startTime: '09:00', endTime: '17:00' };
      expect((await call('POST', `technicians/${techA}/templates`, tokens.store_staff, body)).statusCode).toBe(403);
      expect((await call('POST', `technicians/${techA}/templates`, tokens.techA, body)).statusCode).toBe(403);
      expect((await call('GET', `technicians/${techA}/templates`, tokens.customer)).statusCode).toBe(403);
      expect((await call('GET', `technicians/${techA}/templates`)).statusCode).toBe(401);
      // a technician reads their own schedule, not a colleague's
      expect((await call('GET', `technicians/${techA}/templates`, tokens.techA)).statusCode).toBe(200);
      expect((await call('GET', `technicians/${techB}/templates`, tokens.techA)).statusCode).toBe(404);
      expect((await call('GET', `technicians/${techB}/week`, tokens.techA)).statusCode).toBe(404);
    });

    it("answers another store's ids with 404 and another store's path with 403", async () => {
      const foreign = await call(
        'POST',
        `technicians/${foreignTech}/templates`,
        tokens.otherOwner,
        {
          weekday: 1,
          startTime: '10:00',
          endTime: '18:00',
        },
        other,
      );
      expect(foreign.statusCode).toBe(201);
      const foreignId = foreign.json().id as string;

      for (const res of [
        await call('GET', `technicians/${foreignTech}/templates`, tokens.tenant_owner),
        await call('POST', `technicians/${foreignTech}/templates`, tokens.tenant_owner, {
          weekday: 1,
          startTime: '10:00',
          endTime: '18:00',
        }),
        await call('PATCH', `templates/${foreignId}`, tokens.tenant_owner, { endTime: '20:00' }),
        await call('DELETE', `templates/${foreignId}`, tokens.tenant_owner),
        await call('GET', `technicians/${foreignTech}/week`, tokens.tenant_owner),
      ]) {
        expect(res.statusCode).toBe(404);
        expect(JSON.stringify(res.json())).not.toContain(foreignTech);
      }
      expect(
        (await call('GET', `technicians/${foreignTech}/templates`, tokens.tenant_owner, undefined, other)).statusCode,
      ).toBe(403);
      const untouched = await f.query(`SELECT end_time::text FROM shift_templates WHERE id = $1`, [foreignId]);
      expect(untouched.rows[0]!.end_time).toBe('18:00:00');
    });
  });

  describe('overrides and leave', () => {
    it('checks that the times fit the kind', async () => {
      const path = `technicians/${techB}/overrides`;
      const noTimes = await call('POST', path, tokens.tenant_owner, { date: '2026-12-01', kind: 'work' });
      expect(noTimes.statusCode).toBe(400);
      expect(noTimes.json().fields[0].field).toBe('startTime');
      const offWithTimes = await call('POST', path, tokens.tenant_owner, {
        date: '2026-12-01',
        kind: 'off',
        startTime: '10:00',
        endTime: '12:00',
      });
      expect(offWithTimes.statusCode).toBe(400);
      const badDate = await call('POST', path, tokens.tenant_owner, { date: '2026-02-30', kind: 'off' });
      expect(badDate.statusCode).toBe(400);
      expect(badDate.json().fields[0].field).toBe('date');
      const badKind = await call('POST', path, tokens.tenant_owner, { date: '2026-12-01', kind: 'holiday' });
      expect(badKind.json().fields[0].field).toBe('kind');
    });

    it('expands templates, a work override, a day off and partial leave into the week view', async () => {
      // 2026-11-30 is a Monday. Mon–Fri 10:00–18:00; Sat night shift 20:00–02:00.
      for (const weekday of [1, 2, 3, 4, 5]) {
        const res = await call('POST', `technicians/${techB}/templates`, tokens.tenant_owner, {
          weekday,
          startTime: '10:00',
          endTime: '18:00',
        });
        expect(res.statusCode).toBe(201);
      }
      await call('POST', `technicians/${techB}/templates`, tokens.tenant_owner, {
        weekday: 6,
        startTime: '20:00',
        endTime: '02:00',
      });
      const overrides = [
        { date: '2026-12-01', kind: 'work', startTime: '12:00', endTime: '20:00', note: '换班' },
        { date: '2026-12-02', kind: 'off' },
        { date: '2026-12-03', kind: 'leave', startTime: '13:00', endTime: '15:00' },
      ];
      const ids: string[] = [];
      for (const o of overrides) {
        const res = await call('POST', `technicians/${techB}/overrides`, tokens.store_manager, o);
        expect(res.statusCode).toBe(201);
        ids.push(res.json().id);
      }
      const listed = await call(
        'GET',
        `technicians/${techB}/overrides?from=2026-12-01&to=2026-12-31`,
        tokens.store_staff,
      );
      expect(listed.json().map((o: { kind: string }) => o.kind)).toEqual(['work', 'off', 'leave']);

      await f.query(
        `INSERT INTO technician_busy (tenant_id, technician_id, during, kind)
         VALUES ($1, $2, tstzrange('2026-11-30 11:00+08', '2026-11-30 12:30+08'), 'booking')`,
        [store.id, techB],
      );
      const week = await call('GET', `technicians/${techB}/week?start=2026-11-30`, tokens.store_staff);
      expect(week.statusCode).toBe(200);
      const body = week.json();
      expect(body).toMatchObject({ zone: 'Asia/Shanghai', start: '2026-11-30', end: '2026-12-06' });
      expect(
        body.shifts.map(
          (s: { localDate: string; localStart: string; localEnd: string }) =>
            `${s.localDate} ${s.localStart}-${s.localEnd}`,
        ),
      ).toEqual([
        '2026-11-30 10:00-18:00',
        '2026-12-01 12:00-20:00',
        '2026-12-03 10:00-13:00',
        '2026-12-03 15:00-18:00',
        '2026-12-04 10:00-18:00',
        '2026-12-05 20:00-02:00',
      ]);
      expect(body.shifts[0]).toMatchObject({ start: '2026-11-30T02:00:00.000Z', end: '2026-11-30T10:00:00.000Z' });
      expect(body.busy).toEqual([
        { start: '2026-11-30T03:00:00.000Z', end: '2026-11-30T04:30:00.000Z', kind: 'booking' },
      ]);

      expect((await call('DELETE', `overrides/${ids[1]}`, tokens.store_staff)).statusCode).toBe(403);
      expect((await call('DELETE', `overrides/${ids[1]}`, tokens.store_manager)).statusCode).toBe(204);
      const after = await call('GET', `technicians/${techB}/week?start=2026-11-30`, tokens.tenant_owner);
      expect(after.json().shifts.map((s: { localDate: string }) => s.localDate)).toContain('2026-12-02');
    });

    it('shows the week in a DST store zone with the clock change inside it', async () => {
      const res = await call(
        'POST',
        `technicians/${berlinTech}/templates`,
        tokens.berlinOwner,
        {
          weekday: 7,
          startTime: '09:00',
          endTime: '17:00',
        },
        berlin,
      );
      expect(res.statusCode).toBe(201);
      await call(
        'POST',
        `technicians/${berlinTech}/templates`,
        tokens.berlinOwner,
        {
          weekday: 6,
          startTime: '09:00',
          endTime: '17:00',
        },
        berlin,
      );
      // 2026-03-29 (Sunday) is the spring change in Europe/Berlin.
      const week = await call(
        'GET',
        `technicians/${berlinTech}/week?start=2026-03-23`,
        tokens.berlinOwner,
        undefined,
        berlin,
      );
      expect(week.json().zone).toBe('Europe/Berlin');
      expect(week.json().shifts).toEqual([
        expect.objectContaining({ localDate: '2026-03-28', start: '2026-03-28T08:00:00.000Z', localStart: '09:00' }),
        expect.objectContaining({ localDate: '2026-03-29', start: '2026-03-29T07:00:00.000Z', localStart: '09:00' }),
      ]);
    });

    it("hides another store's overrides", async () => {
      const foreign = await call(
        'POST',
        `technicians/${foreignTech}/overrides`,
        tokens.otherOwner,
        {
          date: '2026-12-01',
          kind: 'off',
        },
        other,
      );
      expect(foreign.statusCode).toBe(201);
      expect((await call('DELETE', `overrides/${foreign.json().id}`, tokens.tenant_owner)).statusCode).toBe(404);
      expect(
        (await call('GET', `technicians/${foreignTech}/overrides?from=2026-12-01&to=2026-12-31`, tokens.tenant_owner))
          .statusCode,
      ).toBe(404);
    });
  });

  describe('booking settings', () => {
    it('returns the column defaults for a store that never saved any', async () => {
      const res = await call('GET', 'booking-settings', tokens.store_manager);
      expect(res.statusCode).toBe(200);
      // the same values the database fills in for a bare row
      await f.query(`INSERT INTO booking_settings (tenant_id) VALUES ($1)`, [other.id]);
      const { rows } = await f.query(
        `SELECT slot_grid_minutes, lead_time_minutes, max_days_ahead, buffer_minutes, eta_road_factor, eta_speed_kmh,
                eta_overhead_minutes FROM booking_settings WHERE tenant_id = $1`,
        [other.id],
      );
      const r = rows[0]!;
      expect(res.json()).toEqual({
        slotGridMinutes: r.slot_grid_minutes,
        leadTimeMinutes: r.lead_time_minutes,
        maxDaysAhead: r.max_days_ahead,
        bufferMinutes: r.buffer_minutes,
        etaRoadFactor: r.eta_road_factor,
        etaSpeedKmh: r.eta_speed_kmh,
        etaOverheadMinutes: r.eta_overhead_minutes,
      });
    });

    it('lets owners and managers change them, and audits it', async () => {
      const res = await call('PUT', 'booking-settings', tokens.tenant_owner, { bufferMinutes: 20, etaRoadFactor: 1.5 });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ bufferMinutes: 20, etaRoadFactor: 1.5, slotGridMinutes: 30 });
      const again = await call('PUT', 'booking-settings', tokens.store_manager, { slotGridMinutes: 15 });
      expect(again.json()).toMatchObject({ bufferMinutes: 20, slotGridMinutes: 15 });
      const audit = await f.query(
        `SELECT count(*)::int AS n FROM audit_events WHERE tenant_id = $1 AND action = 'booking_settings.updated'`,
        [store.id],
      );
      expect(audit.rows[0]!.n).toBe(2);
    });

    it('refuses bad values naming the field, and other roles and stores', async () => {
      const bad = await call('PUT', 'booking-settings', tokens.tenant_owner, { slotGridMinutes: 7, etaSpeedKmh: 0 });
      expect(bad.statusCode).toBe(400);
      expect(
        bad
          .json()
          .fields.map((x: { field: string }) => x.field)
          .sort(),
      ).toEqual(['etaSpeedKmh', 'slotGridMinutes']);
      expect((await call('GET', 'booking-settings', tokens.store_staff)).statusCode).toBe(403);
      expect((await call('PUT', 'booking-settings', tokens.store_staff, { bufferMinutes: 0 })).statusCode).toBe(403);
      expect((await call('PUT', 'booking-settings', tokens.techA, { bufferMinutes: 0 })).statusCode).toBe(403);
      expect((await call('PUT', 'booking-settings', tokens.tenant_owner, { bufferMinutes: 0 }, other)).statusCode).toBe(
        403,
      );
      const otherRow = await f.query(`SELECT buffer_minutes FROM booking_settings WHERE tenant_id = $1`, [other.id]);
      expect(otherRow.rows[0]!.buffer_minutes).toBe(15);
    });
  });
});
