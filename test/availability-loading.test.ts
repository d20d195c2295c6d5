import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AvailabilityRepository, type CandidateTechnician } from '../src/modules/availability/availability.repository';
import {
  BookingSettingsRepository,
  DEFAULT_BOOKING_SETTINGS,
} from '../src/modules/scheduling/booking-settings.repository';
import { StoreProfileRepository } from '../src/modules/store-profile/store-profile.repository';
import { serviceAreaOf } from '../src/modules/store-profile/store-profile.view';
import { TenantContext } from '../src/platform/database/tenant-context';
import { Factory, type TestTenant } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';

/**
 * The availability route loads its data with plain SQL on TenantContext.runSql. These tests pin
 * that loader to what the Prisma unit of work read before it (the statement below is the one it
 * replaced, kept here as the reference), on a fixture with every kind of row the loader must keep
 * or drop — and to the typed repositories for booking rules and the service area.
 */
const REFERENCE_TECHNICIANS_SQL = `
  SELECT t.id, t.home_lat, t.home_lng, t.last_lat, t.last_lng,
         coalesce((SELECT json_agg(json_build_object(
                     'weekday', st.weekday,
                     'startTime', to_char(st.start_time, 'HH24:MI'),
                     'endTime', to_char(st.end_time, 'HH24:MI')))
                     FROM shift_templates st
                    WHERE st.tenant_id = t.tenant_id AND st.technician_id = t.id), '[]') AS templates,
         coalesce((SELECT json_agg(json_build_object(
                     'date', to_char(so.local_date, 'YYYY-MM-DD'), 'kind', so.kind,
                     'startTime', to_char(so.start_time, 'HH24:MI'),
                     'endTime', to_char(so.end_time, 'HH24:MI')))
                     FROM shift_overrides so
                    WHERE so.tenant_id = t.tenant_id AND so.technician_id = t.id
                      AND so.local_date BETWEEN $3::date AND $4::date), '[]') AS overrides,
         coalesce((SELECT json_agg(json_build_object(
                     'start', lower(b.during), 'end', upper(b.during),
                     'lat', b.location_lat, 'lng', b.location_lng))
                     FROM technician_busy b
                    WHERE b.tenant_id = t.tenant_id AND b.technician_id = t.id AND b.active
                      AND b.during && tstzrange($5::timestamptz, $6::timestamptz, '[)')),
                  '[]') AS busy
    FROM technicians t
   WHERE t.status = 'approved' AND t.disabled_at IS NULL
     AND t.skills @> $1::text[]
     AND ($2::uuid IS NULL OR t.id = $2::uuid)
   ORDER BY t.id`;

interface ReferenceRow {
  id: string;
  home_lat: number | null;
  home_lng: number | null;
  last_lat: number | null;
  last_lng: number | null;
  templates: CandidateTechnician['templates'];
  overrides: CandidateTechnician['overrides'];
  busy: Array<{ start: string; end: string; lat: number | null; lng: number | null }>;
}

interface Query {
  requiredSkills: string[];
  technicianId: string | null;
  fromDate: string;
  toDate: string;
  busyFrom: Date;
  busyTo: Date;
}

const point = (lat: number | null, lng: number | null) => (lat !== null && lng !== null ? { lat, lng } : null);

const sortBy = <T>(items: readonly T[], key: (x: T) => string): T[] =>
  [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

/** Row order inside the aggregates is not part of the contract (the engine sorts). */
function normalized(list: CandidateTechnician[]): CandidateTechnician[] {
  return list.map((t) => ({
    ...t,
    templates: sortBy(t.templates, (x) => `${x.weekday} ${x.startTime}`),
    overrides: sortBy(t.overrides, (x) => `${x.date} ${x.kind} ${x.startTime}`),
    busy: [...t.busy].sort((a, b) => a.start - b.start),
  }));
}

describe('availability data loading (plain SQL unit of work)', () => {
  let db: TestDatabase;
  let t: TestApp;
  let f: Factory;
  let tc: TenantContext;
  let repo: AvailabilityRepository;
  let store: TestTenant;
  let other: TestTenant;
  const tech = {} as Record<'full' | 'lastOnly' | 'nowhere' | 'pending' | 'disabled' | 'unskilled' | 'foreign', string>;
  let serviceId: string;
  let inactiveServiceId: string;
  let foreignServiceId: string;

  // a week from Monday 2030-03-04 in Asia/Shanghai: local dates from the day before, busy time ±1 day
  const TO = '2030-03-10';
  const query = (over: Partial<Query> = {}): Query => ({
    requiredSkills: ['tuina'],
    technicianId: null,
    fromDate: '2030-03-03',
    toDate: TO,
    busyFrom: new Date('2030-03-02T16:00:00Z'),
    busyTo: new Date('2030-03-11T16:00:00Z'),
    ...over,
  });

  async function newService(tenant: TestTenant, skills: string[], durations: number[], active = true) {
    const cat = await f.query<{ id: string }>(
      `INSERT INTO service_categories (tenant_id, name_zh) VALUES ($1, $2) RETURNING id`,
      [tenant.id, `推拿${randomUUID().slice(0, 6)}`],
    );
    const svc = await f.query<{ id: string }>(
      `INSERT INTO services (tenant_id, category_id, name_zh, required_skills, active)
       VALUES ($1, $2, '中医推拿', $3, $4) RETURNING id`,
      [tenant.id, cat.rows[0]!.id, skills, active],
    );
    for (const minutes of durations) {
      await f.query(
        `INSERT INTO service_durations (tenant_id, service_id, minutes, price_fen) VALUES ($1, $2, $3, 100)`,
        [tenant.id, svc.rows[0]!.id, minutes],
      );
    }
    return svc.rows[0]!.id;
  }

  async function newTech(
    tenant: TestTenant,
    over: { status?: string; skills?: string[]; home?: [number, number]; last?: [number, number]; disabled?: boolean },
  ) {
    const { id } = await f.newTechnician(tenant, {
      status: over.status ?? 'approved',
      skills: over.skills ?? ['tuina'],
    });
    await f.query(
      `UPDATE technicians SET home_lat = $2, home_lng = $3, last_lat = $4, last_lng = $5,
                              disabled_at = CASE WHEN $6 THEN now() END WHERE id = $1`,
      [
        id,
        over.home?.[0] ?? null,
        over.home?.[1] ?? null,
        over.last?.[0] ?? null,
        over.last?.[1] ?? null,
        !!over.disabled,
      ],
    );
    return id;
  }

  const busy = (tenant: TestTenant, id: string, from: string, to: string, at: [number, number] | null, active = true) =>
    f.query(
      `INSERT INTO technician_busy (tenant_id, technician_id, during, kind, location_lat, location_lng, active, released_at)
       VALUES ($1, $2, tstzrange($3, $4), 'booking', $5, $6, $7, CASE WHEN $7 THEN NULL ELSE now() END)`,
      [tenant.id, id, from, to, at?.[0] ?? null, at?.[1] ?? null, active],
    );

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await createTestApp(db);
    f = await Factory.create(db, t.app);
    tc = t.app.get(TenantContext);
    repo = t.app.get(AvailabilityRepository);
    store = await f.newTenant();
    other = await f.newTenant();

    serviceId = await newService(store, ['tuina'], [90, 60, 120]);
    inactiveServiceId = await newService(store, ['tuina'], [60], false);
    foreignServiceId = await newService(other, ['tuina'], [60]);

    tech.full = await newTech(store, { skills: ['tuina', 'foot'], home: [31.23, 121.47], last: [31.3, 121.5] });
    tech.lastOnly = await newTech(store, { last: [31.2, 121.4] });
    tech.nowhere = await newTech(store, {});
    tech.pending = await newTech(store, { status: 'pending_review', home: [31.23, 121.47] });
    tech.disabled = await newTech(store, { disabled: true, home: [31.23, 121.47] });
    tech.unskilled = await newTech(store, { skills: ['foot'], home: [31.23, 121.47] });
    tech.foreign = await newTech(other, { home: [31.23, 121.47] });

    for (const id of [tech.full, tech.pending, tech.disabled, tech.unskilled, tech.foreign]) {
      const tenant = id === tech.foreign ? other : store;
      // weekdays 10–22, split weekends, and a night shift on Wednesdays that ends the next day
      await f.query(
        `INSERT INTO shift_templates (tenant_id, technician_id, weekday, start_time, end_time)
         SELECT $1::uuid, $2::uuid, d, time '10:00', time '22:00' FROM generate_series(1, 5) d
         UNION ALL SELECT $1::uuid, $2::uuid, d, s, e FROM generate_series(6, 7) d,
                    (VALUES (time '09:00', time '13:00'), (time '15:00', time '23:30')) v(s, e)
         UNION ALL SELECT $1::uuid, $2::uuid, 3, time '22:30', time '02:15'`,
        [tenant.id, id],
      );
      await busy(tenant, id, '2030-03-05T04:00:00Z', '2030-03-05T05:30:00Z', [31.25, 121.48]);
    }
    await f.query(
      `INSERT INTO shift_overrides (tenant_id, technician_id, local_date, kind, start_time, end_time) VALUES
         ($1, $2, '2030-03-01', 'off', NULL, NULL),          -- before the dates asked for
         ($1, $2, '2030-03-03', 'leave', '12:00', '14:45'),  -- the day before: kept (night shifts)
         ($1, $2, '2030-03-05', 'off', NULL, NULL),
         ($1, $2, '2030-03-06', 'work', '08:00', '11:00'),
         ($1, $2, '2030-03-06', 'work', '18:00', '01:00'),
         ($1, $2, '2030-03-07', 'leave', NULL, NULL),
         ($1, $2, '2030-03-10', 'leave', '16:00', '17:00'),
         ($1, $2, '2030-03-11', 'off', NULL, NULL)           -- after`,
      [store.id, tech.full],
    );
    // in range with and without a place, sub-millisecond bounds, one straddling each end of the
    // busy range, one released, one outside
    await busy(store, tech.full, '2030-03-02T15:00:00Z', '2030-03-02T17:00:00Z', [31.2, 121.4]);
    await busy(store, tech.full, '2030-03-06T02:00:00.123456Z', '2030-03-06T03:00:00.999999Z', null);
    await busy(store, tech.full, '2030-03-07T06:00:00Z', '2030-03-07T07:00:00Z', [31.21, 121.45], false);
    await busy(store, tech.full, '2030-03-08T06:00:00Z', '2030-03-08T08:00:00Z', [31.22, 121.46]);
    await busy(store, tech.full, '2030-03-11T15:30:00Z', '2030-03-11T17:00:00Z', null);
    await busy(store, tech.full, '2030-03-20T06:00:00Z', '2030-03-20T07:00:00Z', null);

    await f.query(
      `INSERT INTO booking_settings (tenant_id, slot_grid_minutes, lead_time_minutes, max_days_ahead,
                     buffer_minutes, eta_road_factor, eta_speed_kmh, eta_overhead_minutes)
                   VALUES ($1, 20, 45, 9, 10, 1.45, 22.5, 7)`,
      [store.id],
    );
    await f.query(
      `INSERT INTO store_profiles (tenant_id, lat, lng, area_center_lat, area_center_lng, area_radius_m)
       VALUES ($1, 31.2304, 121.4737, 31.2, 121.5, 15000)`,
      [store.id],
    );
    await f.query(
      `INSERT INTO store_profiles (tenant_id, area_polygon) VALUES ($1, '[[31.1, 121.3], [31.4, 121.3], [31.4, 121.7]]')`,
      [other.id],
    );
  });
  afterAll(async () => {
    await f?.close();
    await t?.close();
    await db?.drop();
  });

  /** What the Prisma unit of work returned for the same question, shaped like the loader's output. */
  async function reference(tenant: TestTenant, q: Query): Promise<CandidateTechnician[]> {
    const rows = await tc.run(tenant.id, (tx) =>
      tx.$queryRawUnsafe<ReferenceRow[]>(
        REFERENCE_TECHNICIANS_SQL,
        q.requiredSkills,
        q.technicianId,
        q.fromDate,
        q.toDate,
        q.busyFrom,
        q.busyTo,
      ),
    );
    return rows.map((r) => ({
      id: r.id,
      home: point(r.home_lat, r.home_lng),
      last: point(r.last_lat, r.last_lng),
      templates: r.templates,
      overrides: r.overrides,
      busy: r.busy.map((b) => ({ start: Date.parse(b.start), end: Date.parse(b.end), location: point(b.lat, b.lng) })),
    }));
  }

  const load = (tenant: TestTenant, q: Query) => tc.runSql(tenant.id, () => repo.technicians(q));

  it('loads the same technicians, shifts, overrides and busy time as the Prisma query it replaced', async () => {
    const actual = await load(store, query());
    const expected = await reference(store, query());
    expect(normalized(actual)).toEqual(normalized(expected));

    // and the fixture really exercises the filters (a vacuous comparison would also be equal)
    expect(actual.map((x) => x.id)).toEqual([tech.full, tech.lastOnly, tech.nowhere].sort());
    const full = actual.find((x) => x.id === tech.full)!;
    expect(full.templates).toHaveLength(10);
    expect(full.overrides.map((o) => o.date).sort()).toEqual([
      '2030-03-03',
      '2030-03-05',
      '2030-03-06',
      '2030-03-06',
      '2030-03-07',
      '2030-03-10',
    ]);
    expect(full.busy.map((b) => new Date(b.start).toISOString())).toEqual([
      '2030-03-02T15:00:00.000Z',
      '2030-03-05T04:00:00.000Z',
      '2030-03-06T02:00:00.123Z',
      '2030-03-08T06:00:00.000Z',
      '2030-03-11T15:30:00.000Z',
    ]);
    expect(full.busy[2]).toEqual({
      start: Date.parse('2030-03-06T02:00:00.123Z'),
      end: Date.parse('2030-03-06T03:00:00.999Z'),
      location: null,
    });
    expect(actual.find((x) => x.id === tech.lastOnly)).toEqual({
      id: tech.lastOnly,
      home: null,
      last: { lat: 31.2, lng: 121.4 },
      templates: [],
      overrides: [],
      busy: [],
    });
  });

  it('narrows to one technician and to the skills asked for, the same way', async () => {
    for (const q of [
      query({ technicianId: tech.full }),
      query({ technicianId: tech.pending }),
      query({ requiredSkills: ['tuina', 'foot'] }),
      query({ requiredSkills: [] }),
      query({
        fromDate: '2030-03-06',
        toDate: '2030-03-06',
        busyFrom: new Date('2030-03-06T00:00:00Z'),
        busyTo: new Date('2030-03-06T02:30:00Z'),
      }),
    ]) {
      expect(normalized(await load(store, q))).toEqual(normalized(await reference(store, q)));
    }
    expect((await load(store, query({ requiredSkills: ['tuina', 'foot'] }))).map((x) => x.id)).toEqual([tech.full]);
  });

  it("never sees another store's technicians, even when asked for one by id", async () => {
    expect(await load(store, query({ technicianId: tech.foreign }))).toEqual([]);
    const theirs = await load(other, query());
    expect(theirs.map((x) => x.id)).toEqual([tech.foreign]);
    expect(theirs[0]!.busy).toHaveLength(1);
    expect(normalized(theirs)).toEqual(normalized(await reference(other, query())));
  });

  it('reads the service, booking rules and service area as the typed repositories do', async () => {
    const bookingSettings = t.app.get(BookingSettingsRepository);
    const profiles = t.app.get(StoreProfileRepository);
    for (const tenant of [store, other]) {
      const ctx = await tc.runSql(tenant.id, () => repo.context(serviceId));
      const [rules, profile] = await tc.run(tenant.id, () =>
        Promise.all([bookingSettings.find(), profiles.findProfile()]),
      );
      expect(ctx.rules).toEqual(rules);
      expect(serviceAreaOf(ctx.area)).toEqual(serviceAreaOf(profile));
      expect(ctx.storePoint).toEqual(profile && point(profile.lat, profile.lng));
    }
    const mine = await tc.runSql(store.id, () => repo.context(serviceId));
    expect(mine.service).toEqual({ requiredSkills: ['tuina'], durations: [60, 90, 120] });
    expect(mine.rules).toEqual({
      slotGridMinutes: 20,
      leadTimeMinutes: 45,
      maxDaysAhead: 9,
      bufferMinutes: 10,
      etaRoadFactor: 1.45,
      etaSpeedKmh: 22.5,
      etaOverheadMinutes: 7,
    });
    expect(serviceAreaOf(mine.area)).toEqual({ kind: 'circle', center: { lat: 31.2, lng: 121.5 }, radiusM: 15000 });
    expect(mine.storePoint).toEqual({ lat: 31.2304, lng: 121.4737 });

    // another store: its polygon, the default rules, and our service is unknown there
    const theirs = await tc.runSql(other.id, () => repo.context(serviceId));
    expect(theirs.service).toBeNull();
    expect(theirs.rules).toEqual(DEFAULT_BOOKING_SETTINGS);
    expect(serviceAreaOf(theirs.area)?.kind).toBe('polygon');
    expect(theirs.storePoint).toBeNull();
  });

  it('knows no inactive, foreign or missing service, and a store without a profile has no area', async () => {
    for (const id of [inactiveServiceId, foreignServiceId, randomUUID()]) {
      expect((await tc.runSql(store.id, () => repo.context(id))).service).toBeNull();
    }
    const bare = await f.newTenant();
    const ctx = await tc.runSql(bare.id, () => repo.context(serviceId));
    expect(ctx).toEqual({ service: null, rules: DEFAULT_BOOKING_SETTINGS, area: null, storePoint: null });
  });
});
