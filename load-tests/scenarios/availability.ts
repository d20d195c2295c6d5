import { DateTime } from 'luxon';
import { defineScenario } from '../lib/scenario';
import { seedStore } from '../lib/seed-helpers';

interface State {
  slug: string;
  serviceId: string;
  from: string;
  to: string;
}

const ZONE = 'Asia/Shanghai';
const TECHNICIANS = 50;
const DAYS = 7;
// People's Square; technicians live 1–10 km around it, customers book from there.
const CENTRE = { lat: 31.2304, lng: 121.4737 };
const KM_LAT = 360 / (2 * Math.PI * 6371.0088);

/**
 * A customer asks for every bookable 90-minute start over the next 7 days, any technician, in a
 * store with 50 approved technicians (all with the skill), each on a weekly template with a split
 * shift on weekends, one day off in the week, and two existing bookings a day at addresses around
 * the city: the whole ETA-gated availability path (service, area, settings, one set-based load of
 * shifts/overrides/busy time, shift expansion, the engine) per request. No baseline: there is no
 * bare equivalent of the engine, so only latency and errors are judged.
 */
export default defineScenario<State>({
  name: 'availability',
  description: 'anonymous customer: GET /t/{slug}/api/availability (50 technicians × 7 days, any technician)',
  offeredRate: 20,
  targets: { p99_ms_max: 30, errors_max: 0, rss_mb_max: 300 },

  async seed(ctx) {
    const store = await seedStore(ctx, 'bench-avail', '压测门店排班');
    const q = (sql: string, params: unknown[]) => ctx.admin.query<{ id: string }>(sql, params);
    await q(
      `INSERT INTO store_profiles (tenant_id, lat, lng, area_center_lat, area_center_lng, area_radius_m)
       VALUES ($1, $2, $3, $2, $3, 30000)`,
      [store.id, CENTRE.lat, CENTRE.lng],
    );
    await q(`INSERT INTO booking_settings (tenant_id, max_days_ahead) VALUES ($1, 14)`, [store.id]);
    const cat = await q(`INSERT INTO service_categories (tenant_id, name_zh) VALUES ($1, '中医推拿') RETURNING id`, [
      store.id,
    ]);
    const svc = await q(
      `INSERT INTO services (tenant_id, category_id, name_zh, required_skills) VALUES ($1, $2, '全身推拿', '{tuina}')
       RETURNING id`,
      [store.id, cat.rows[0]!.id],
    );
    const serviceId = svc.rows[0]!.id;
    for (const minutes of [60, 90, 120]) {
      await q(`INSERT INTO service_durations (tenant_id, service_id, minutes, price_fen) VALUES ($1, $2, $3, 19800)`, [
        store.id,
        serviceId,
        minutes,
      ]);
    }

    const tomorrow = DateTime.now().setZone(ZONE).plus({ days: 1 }).startOf('day');
    for (let i = 0; i < TECHNICIANS; i++) {
      const phone = `13700${String(i).padStart(6, '0')}`;
      const home = { lat: CENTRE.lat + ((i % 10) + 1) * KM_LAT * (i % 2 ? 1 : -1), lng: CENTRE.lng };
      const tech = await q(
        `INSERT INTO technicians (tenant_id, phone_enc, phone_hash, phone_masked, name, display_name, status, skills,
                                  home_lat, home_lng)
         VALUES ($1, $2, $3, $4, $5, $5, 'approved', '{tuina,foot}', $6, $7) RETURNING id`,
        [
          store.id,
          ctx.app.cipher.encrypt(phone, `${store.id}:technicians.phone`),
          ctx.app.hasher.hash('phone', phone),
          ctx.app.maskPhone(phone),
          `技师${i + 1}`,
          home.lat,
          home.lng,
        ],
      );
      const techId = tech.rows[0]!.id;
      await q(
        `INSERT INTO shift_templates (tenant_id, technician_id, weekday, start_time, end_time)
         SELECT $1::uuid, $2::uuid, d, time '10:00', time '22:00' FROM generate_series(1, 5) d
         UNION ALL SELECT $1::uuid, $2::uuid, d, s, e FROM generate_series(6, 7) d,
                    (VALUES (time '09:00', time '13:00'), (time '15:00', time '23:00')) v(s, e)`,
        [store.id, techId],
      );
      await q(`INSERT INTO shift_overrides (tenant_id, technician_id, local_date, kind) VALUES ($1, $2, $3, 'off')`, [
        store.id,
        techId,
        tomorrow.plus({ days: i % DAYS }).toISODate(),
      ]);
      for (let d = 0; d < DAYS; d++) {
        for (const hour of [12 + (i % 3), 17 + (i % 2)]) {
          const start = tomorrow.plus({ days: d, hours: hour });
          await q(
            `INSERT INTO technician_busy (tenant_id, technician_id, during, kind, location_lat, location_lng)
             VALUES ($1, $2, tstzrange($3, $4), 'booking', $5, $6)`,
            [
              store.id,
              techId,
              start.toJSDate(),
              start.plus({ minutes: 90 }).toJSDate(),
              CENTRE.lat + ((d + i) % 7) * KM_LAT,
              CENTRE.lng + ((d * i) % 5) * KM_LAT,
            ],
          );
        }
      }
    }
    return {
      slug: store.slug,
      serviceId,
      from: tomorrow.toISODate()!,
      to: tomorrow.plus({ days: DAYS - 1 }).toISODate()!,
    };
  },

  requests: (s) => [
    {
      method: 'GET',
      path:
        `/t/${s.slug}/api/availability?serviceId=${s.serviceId}&durationMinutes=90` +
        `&lat=${CENTRE.lat}&lng=${CENTRE.lng}&from=${s.from}&to=${s.to}`,
    },
  ],

  checkResponse(status, body) {
    if (status !== 200) throw new Error(`expected 200, got ${status}`);
    const { slots = [], technicianIds = [] } = body as {
      slots?: { localDate: string; technicians: number[] }[];
      technicianIds?: string[];
    };
    const technicians = new Set(slots.flatMap((s) => s.technicians.map((i) => technicianIds[i])));
    const days = new Set(slots.map((s) => s.localDate));
    if (technicians.size !== TECHNICIANS)
      throw new Error(`expected all ${TECHNICIANS} technicians, got ${technicians.size}`);
    if (days.size !== DAYS) throw new Error(`expected slots on ${DAYS} days, got ${days.size}`);
  },
});
