import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Factory, type TestTenant } from './support/factories';
import {
  CENTRE,
  orderCustomer,
  orderStore,
  orderTechnician,
  tomorrowAt,
  type OrderStore,
} from './support/order-fixtures';
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

  describe('store blocks (busy time set by staff)', () => {
    let shop: OrderStore;
    let worker: string;
    let colleague: string;
    const shopTokens: Record<string, string> = {};
    const inShop = (method: Method, path: string, token?: string, payload?: object) =>
      call(method, path, token, payload, shop.tenant);
    // Two local days ahead: well past the lead time and inside the booking window, whatever the hour.
    const day = DateTime.now().setZone('Asia/Shanghai').plus({ days: 2 }).toISODate()!;
    const at = (hhmm: string, date = day) => `${date}T${hhmm}:00+08:00`;
    const block = (
      technicianId: string,
      start: string,
      end: string,
      token = shopTokens.store_staff,
      reason = '门店培训',
    ) => inShop('POST', `technicians/${technicianId}/blocks`, token, { start, end, reason });

    const slots = async (technicianId: string, date = day) => {
      const qs = new URLSearchParams({
        serviceId: shop.serviceId,
        durationMinutes: '60',
        lat: String(CENTRE.lat),
        lng: String(CENTRE.lng),
        from: date,
        to: date,
        technicianId,
      });
      const res = await t.app.inject({ method: 'GET', url: `/t/${shop.tenant.slug}/api/availability?${qs}` });
      expect(res.statusCode, res.body).toBe(200);
      return res.json().slots as { start: string; end: string; localTime: string }[];
    };
    const overlapping = (list: { start: string; end: string }[], start: string, end: string) =>
      list.filter((s) => Date.parse(s.start) < Date.parse(end) && Date.parse(s.end) > Date.parse(start));

    beforeAll(async () => {
      shop = await orderStore(f, await f.newTenant());
      worker = await orderTechnician(f, shop.tenant);
      colleague = await orderTechnician(f, shop.tenant);
      await f.query(
        `INSERT INTO shift_templates (tenant_id, technician_id, weekday, start_time, end_time)
         SELECT $1, t, d, '10:00', '22:00' FROM generate_series(1, 7) d, unnest($2::uuid[]) t`,
        [shop.tenant.id, [worker, colleague]],
      );
      for (const role of ['tenant_owner', 'store_manager', 'store_staff'] as const) {
        const s = await f.newStaff(shop.tenant, { role });
        shopTokens[role] = await f.token({ id: s.id, role, tenantId: shop.tenant.id });
      }
      shopTokens.worker = await f.token({ id: worker, role: 'technician', tenantId: shop.tenant.id });
      shopTokens.customer = (await orderCustomer(f, t.app, shop.tenant)).token;
    });

    it('staff block a time with a reason; availability stops offering it; removing it gives the time back', async () => {
      const before = await slots(worker);
      expect(before.map((s) => s.localTime)).toContain('14:00');

      const created = await block(worker, at('14:00'), at('16:00'));
      expect(created.statusCode, created.body).toBe(201);
      const b = created.json();
      expect(b).toMatchObject({
        technicianId: worker,
        start: new Date(at('14:00')).toISOString(),
        end: new Date(at('16:00')).toISOString(),
        reason: '门店培训',
      });
      const after = await slots(worker);
      expect(overlapping(after, at('14:00'), at('16:00'))).toEqual([]);
      expect(after.map((s) => s.localTime)).toContain('11:00');
      // the colleague's day is untouched
      expect((await slots(colleague)).map((s) => s.localTime)).toContain('14:00');

      for (const who of ['store_staff', 'store_manager', 'worker']) {
        const list = await inShop('GET', `technicians/${worker}/blocks?from=${day}&to=${day}`, shopTokens[who]);
        expect(list.statusCode, who).toBe(200);
        expect(list.json()).toEqual([b]);
      }
      const nextDay = DateTime.fromISO(day).plus({ days: 1 }).toISODate()!;
      expect(
        (
          await inShop('GET', `technicians/${worker}/blocks?from=${nextDay}&to=${nextDay}`, shopTokens.store_staff)
        ).json(),
      ).toEqual([]);
      const week = await inShop('GET', `technicians/${worker}/week?start=${day}`, shopTokens.store_staff);
      expect(week.json().busy).toEqual([{ start: b.start, end: b.end, kind: 'block' }]);

      expect((await inShop('DELETE', `blocks/${b.id}`, shopTokens.store_staff)).statusCode).toBe(204);
      // a retried removal answers the same and is not recorded twice
      expect((await inShop('DELETE', `blocks/${b.id}`, shopTokens.store_staff)).statusCode).toBe(204);
      expect(
        (await inShop('GET', `technicians/${worker}/blocks?from=${day}&to=${day}`, shopTokens.store_staff)).json(),
      ).toEqual([]);
      expect((await slots(worker)).map((s) => s.localTime)).toContain('14:00');

      const row = await f.query(`SELECT kind, active, note, released_at FROM technician_busy WHERE id = $1`, [b.id]);
      expect(row.rows[0]).toMatchObject({ kind: 'block', active: false, note: '门店培训' });
      const audit = await f.query<{ action: string; actor_type: string }>(
        `SELECT action, actor_type FROM audit_events WHERE target_id = $1 ORDER BY created_at`,
        [b.id],
      );
      expect(audit.rows).toEqual([
        expect.objectContaining({ action: 'technician.block_created', actor_type: 'staff' }),
        expect.objectContaining({ action: 'technician.block_removed', actor_type: 'staff' }),
      ]);
    });

    it("a block over an order's time is refused with 409, and so is an order over a block", async () => {
      const customer = await orderCustomer(f, t.app, shop.tenant);
      const book = async (startAt: string) => {
        const q = await inShopApi('POST', 'quotes', customer.token, {
          serviceId: shop.serviceId,
          durationMinutes: 60,
          addons: [],
          addressId: customer.addressId,
          startAt,
          technicianId: colleague,
        });
        expect(q.statusCode, q.body).toBe(201);
        return inShopApi(
          'POST',
          'orders',
          customer.token,
          { quoteId: q.json().id, paymentMethod: 'sandbox' },
          {
            'idempotency-key': crypto.randomUUID(),
          },
        );
      };
      const inShopApi = (method: Method, path: string, token: string, payload: object, headers = {}) =>
        t.app.inject({
          method,
          url: `/t/${shop.tenant.slug}/api/${path}`,
          headers: { ...headers, authorization: `Bearer ${token}` },
          payload,
        });
      const activeBlocks = async () =>
        (
          await f.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM technician_busy WHERE technician_id = $1 AND kind = 'block' AND active`,
            [colleague],
          )
        ).rows[0]!.n;

      const order = await book(tomorrowAt(2)); // 02:00–03:00 UTC
      expect(order.statusCode, order.body).toBe(201);
      const onOrder = await block(
        colleague,
        new Date(Date.parse(tomorrowAt(2)) + 30 * 60_000).toISOString(),
        new Date(Date.parse(tomorrowAt(2)) + 120 * 60_000).toISOString(),
      );
      expect(onOrder.statusCode).toBe(409);
      expect(onOrder.json().code).toBe('SLOT_TAKEN');
      expect(await activeBlocks()).toBe(0);

      const blocked = await block(colleague, tomorrowAt(6), tomorrowAt(8), shopTokens.store_manager, '个人事务');
      expect(blocked.statusCode).toBe(201);
      const overBlock = await book(tomorrowAt(7));
      expect(overBlock.statusCode).toBe(409);
      expect(overBlock.json().code).toBe('SLOT_TAKEN');
      // back to back is fine: [) ranges
      expect((await block(colleague, tomorrowAt(3), tomorrowAt(4))).statusCode).toBe(201);
      expect(await activeBlocks()).toBe(2);
    });

    it('names the bad field', async () => {
      const cases: [object, string][] = [
        [{ start: at('16:00'), end: at('14:00'), reason: 'x' }, 'end'],
        [{ start: `${day}T14:00:00`, end: at('15:00'), reason: 'x' }, 'start'],
        [{ start: at('14:00'), end: 'tomorrow', reason: 'x' }, 'end'],
        [{ start: at('14:00'), end: at('15:00'), reason: '   ' }, 'reason'],
        [{ start: at('14:00'), end: at('15:00') }, 'reason'],
        [{ start: '2020-01-01T10:00:00Z', end: '2020-01-01T11:00:00Z', reason: 'x' }, 'end'],
        [
          { start: at('14:00'), end: at('14:00', DateTime.fromISO(day).plus({ days: 40 }).toISODate()!), reason: 'x' },
          'end',
        ],
      ];
      for (const [body, field] of cases) {
        const res = await inShop('POST', `technicians/${worker}/blocks`, shopTokens.store_staff, body);
        expect(res.statusCode, JSON.stringify(body)).toBe(400);
        expect(
          res.json().fields.map((x: { field: string }) => x.field),
          JSON.stringify(body),
        ).toContain(field);
      }
      const inverted = await inShop(
        'GET',
        `technicians/${worker}/blocks?from=${day}&to=2020-01-01`,
        shopTokens.store_staff,
      );
      expect(inverted.statusCode).toBe(400);
      expect(inverted.json().fields[0].field).toBe('to');
      const noRange = await inShop('GET', `technicians/${worker}/blocks`, shopTokens.store_staff);
      expect(noRange.statusCode).toBe(400);
    });

    it('technicians and customers cannot block or remove; a technician sees only their own blocks', async () => {
      const body = { start: at('18:00'), end: at('19:00'), reason: '私事' };
      expect((await inShop('POST', `technicians/${worker}/blocks`, shopTokens.worker, body)).statusCode).toBe(403);
      expect((await inShop('POST', `technicians/${worker}/blocks`, shopTokens.customer, body)).statusCode).toBe(403);
      expect((await inShop('POST', `technicians/${worker}/blocks`, undefined, body)).statusCode).toBe(401);
      const mine = await block(worker, at('18:00'), at('19:00'), shopTokens.tenant_owner);
      expect(mine.statusCode).toBe(201);
      expect((await inShop('DELETE', `blocks/${mine.json().id}`, shopTokens.worker)).statusCode).toBe(403);
      expect((await inShop('DELETE', `blocks/${mine.json().id}`, shopTokens.customer)).statusCode).toBe(403);
      const range = `from=${day}&to=${day}`;
      expect((await inShop('GET', `technicians/${colleague}/blocks?${range}`, shopTokens.worker)).statusCode).toBe(404);
      expect((await inShop('GET', `technicians/${worker}/blocks?${range}`, shopTokens.customer)).statusCode).toBe(403);
      const active = await f.query(`SELECT active FROM technician_busy WHERE id = $1`, [mine.json().id]);
      expect(active.rows[0]!.active).toBe(true);
    });

    it('a booking is not a block: it cannot be removed here', async () => {
      const booking = await f.query<{ id: string }>(
        `SELECT id FROM technician_busy WHERE technician_id = $1 AND kind = 'booking' AND active LIMIT 1`,
        [colleague],
      );
      const id = booking.rows[0]!.id;
      expect((await inShop('DELETE', `blocks/${id}`, shopTokens.tenant_owner)).statusCode).toBe(404);
      const still = await f.query(`SELECT active FROM technician_busy WHERE id = $1`, [id]);
      expect(still.rows[0]!.active).toBe(true);
    });

    it("another store's technicians and blocks answer 404 like ids that never existed", async () => {
      const foreignBlock = await call(
        'POST',
        `technicians/${foreignTech}/blocks`,
        tokens.otherOwner,
        { start: at('12:00'), end: at('13:00'), reason: '培训' },
        other,
      );
      expect(foreignBlock.statusCode).toBe(201);
      const foreignId = foreignBlock.json().id as string;
      const missing = await block(crypto.randomUUID(), at('12:00'), at('13:00'), shopTokens.tenant_owner);
      expect(missing.statusCode).toBe(404);
      for (const res of [
        await block(foreignTech, at('12:00'), at('13:00'), shopTokens.tenant_owner),
        await inShop('GET', `technicians/${foreignTech}/blocks?from=${day}&to=${day}`, shopTokens.tenant_owner),
        await inShop('DELETE', `blocks/${foreignId}`, shopTokens.tenant_owner),
      ]) {
        expect(res.statusCode).toBe(404);
        expect(res.json().code).toBe(missing.json().code);
        expect(res.json().message).toBe(missing.json().message);
        expect(res.body).not.toContain(foreignTech);
      }
      // A's token at the other store's address is refused outright.
      expect((await call('DELETE', `blocks/${foreignId}`, shopTokens.tenant_owner, undefined, other)).statusCode).toBe(
        403,
      );
      const still = await f.query(`SELECT active FROM technician_busy WHERE id = $1`, [foreignId]);
      expect(still.rows[0]!.active).toBe(true);
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
