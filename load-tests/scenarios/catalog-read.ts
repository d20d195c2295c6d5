import { createHash } from 'node:crypto';
import { PUBLIC_CATALOG_SQL } from '../../src/modules/catalog/public-catalog.sql';
import { defineScenario } from '../lib/scenario';
import { seedStore, type SeededStore } from '../lib/seed-helpers';
import type { SeedContext } from '../lib/scenario';

interface State {
  slug: string;
}

const CATEGORIES = ['精油SPA', '中医推拿', '足疗', '肩颈理疗'];
const SKILLS = ['spa_oil', 'tuina', 'foot', 'tuina'];

/** A demo catalog: 4 categories × 4 services × 3 durations, 1 material each, 2 store-wide extensions. */
async function seedCatalog(ctx: SeedContext, store: SeededStore): Promise<void> {
  const q = (sql: string, params: unknown[]) => ctx.admin.query<{ id: string }>(sql, params);
  for (const [ci, name] of CATEGORIES.entries()) {
    const cat = await q(
      `INSERT INTO service_categories (tenant_id, name_zh, sort_order) VALUES ($1, $2, $3) RETURNING id`,
      [store.id, name, ci],
    );
    for (let si = 0; si < 4; si++) {
      const svc = await q(
        `INSERT INTO services (tenant_id, category_id, name_zh, description, images, required_skills, sort_order)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [
          store.id,
          cat.rows[0]!.id,
          `${name}${si + 1}号`,
          '专业技师上门服务，舒缓疲劳，放松身心。'.repeat(3),
          [`https://cdn.example.com/${ci}-${si}.jpg`],
          [SKILLS[ci]],
          si,
        ],
      );
      const serviceId = svc.rows[0]!.id;
      for (const [minutes, price] of [
        [60, 19800],
        [90, 26800],
        [120, 33800],
      ]) {
        await q(`INSERT INTO service_durations (tenant_id, service_id, minutes, price_fen) VALUES ($1, $2, $3, $4)`, [
          store.id,
          serviceId,
          minutes,
          price! + si * 1000,
        ]);
      }
      await q(
        `INSERT INTO service_addons (tenant_id, service_id, kind, name_zh, price_fen) VALUES ($1, $2, 'material', '精油', 3000)`,
        [store.id, serviceId],
      );
    }
  }
  for (const [minutes, price] of [
    [30, 9900],
    [60, 18800],
  ]) {
    await q(
      `INSERT INTO service_addons (tenant_id, kind, name_zh, minutes, price_fen, max_quantity)
       VALUES ($1, 'extension', $2, $3, $4, 4)`,
      [store.id, `加钟${minutes}分钟`, minutes, price],
    );
  }
  await q(
    `INSERT INTO travel_fee_rules (tenant_id, free_radius_m, price_per_km_fen, night_start_minute, night_end_minute,
                                   night_surcharge_fen, minimum_order_fen)
     VALUES ($1, 3000, 200, 1320, 360, 5000, 19800)`,
    [store.id],
  );
}

/**
 * The public catalog of a demo store, anonymous (what the H5 home page loads). The API builds the
 * whole answer in one SQL statement (src/modules/catalog/public-catalog.sql.ts); the baseline runs
 * exactly that statement in the same BEGIN / set_config / COMMIT unit of work and sends the text
 * with the same ETag, so the ratio measures the framework, guards and tenancy plumbing only.
 */
export default defineScenario<State>({
  name: 'catalog-read',
  description: 'anonymous customer: GET /t/{slug}/api/catalog (16 services, 48 prices, add-ons, travel fee)',
  offeredRate: 500,
  targets: { ratio_min: 0.5, p99_ms_max: 15, errors_max: 0, rss_mb_max: 300 },

  async seed(ctx) {
    const store = await seedStore(ctx, 'bench-catalog', '压测门店目录');
    await seedCatalog(ctx, store);
    return { slug: store.slug };
  },

  requests: (s) => [{ method: 'GET', path: `/t/${s.slug}/api/catalog` }],

  checkResponse(status, body) {
    if (status !== 200) throw new Error(`expected 200, got ${status}`);
    const categories = (body as { categories?: { services?: { durations?: unknown[] }[] }[] }).categories;
    if (!Array.isArray(categories) || categories.length !== 4) throw new Error('expected 4 categories');
    const services = categories.flatMap((c) => c.services ?? []);
    if (services.length !== 16 || services.some((s) => s.durations?.length !== 3)) {
      throw new Error('expected 16 services with 3 durations each');
    }
  },

  baseline: {
    register(app, kit) {
      app.get<{ Params: { slug: string } }>('/t/:slug/api/catalog', async (req, reply) => {
        const tenantId = await kit.tenantIdBySlug(req.params.slug);
        if (!tenantId) return reply.code(404).send({ code: 'STORE_NOT_FOUND' });
        const json = await kit.inTenant(tenantId, async (c) => {
          const res = await c.query<{ catalog: string }>(PUBLIC_CATALOG_SQL, [tenantId]);
          return res.rows[0]!.catalog;
        });
        const etag = `"${createHash('sha1').update(json).digest('base64url')}"`;
        void reply.header('etag', etag).header('cache-control', 'public, max-age=0, must-revalidate');
        if (req.headers['if-none-match'] === etag) return reply.code(304).send();
        return reply.header('content-type', 'application/json; charset=utf-8').send(json);
      });
    },
  },
});
