import { defineScenario } from '../lib/scenario';
import { seedCustomers, seedStaff, seedStore } from '../lib/seed-helpers';

interface State {
  slug: string;
  token: string;
}

const STAFF_ROLES = ['tenant_owner', 'store_manager', 'store_staff'];

/**
 * An authenticated, tenant-scoped read of a small list: a store manager's first page of
 * customers. The baseline runs the statement src/modules/customers/customers.repository.ts
 * documents (primary-key order, limit + 1 rows, offset 0) in the same BEGIN / set_config / COMMIT
 * unit of work and answers the same JSON; test/load-scenarios.test.ts compares the two answers, so
 * a change of the API's query shows up there first.
 */
export default defineScenario<State>({
  name: 'tenant-read',
  description: 'store manager: GET /t/{slug}/api/customers?limit=20',
  offeredRate: 500,
  targets: { ratio_min: 0.5, p99_ms_max: 15, errors_max: 0, rss_mb_max: 300 },

  async seed(ctx) {
    const stores = [await seedStore(ctx, 'bench-a', '压测门店A'), await seedStore(ctx, 'bench-b', '压测门店B')];
    const managers = [];
    for (const store of stores) {
      managers.push(await seedStaff(ctx, store, 'store_manager'));
      await seedCustomers(ctx, store, 20);
    }
    return { slug: stores[0]!.slug, token: managers[0]!.token };
  },

  requests: (s) => [
    { method: 'GET', path: `/t/${s.slug}/api/customers?limit=20`, headers: { authorization: `Bearer ${s.token}` } },
  ],

  checkResponse(status, body) {
    if (status !== 200) throw new Error(`expected 200, got ${status}`);
    const items = (body as { items?: unknown[] }).items;
    if (!Array.isArray(items) || items.length !== 20) throw new Error('expected a page of 20 customers');
    const first = items[0] as Record<string, unknown>;
    for (const key of ['id', 'phoneMasked', 'nickname', 'createdAt', 'lastLoginAt']) {
      if (!(key in first)) throw new Error(`item lacks ${key}`);
    }
  },

  baseline: {
    register(app, kit) {
      app.get<{ Params: { slug: string }; Querystring: { limit?: string } }>(
        '/t/:slug/api/customers',
        async (req, reply) => {
          const claims = await kit.authenticate(req, reply);
          if (!claims) return reply;
          const tenantId = await kit.tenantIdBySlug(req.params.slug);
          if (!tenantId) return reply.code(404).send({ code: 'STORE_NOT_FOUND' });
          if (claims.tid !== tenantId || !STAFF_ROLES.includes(claims.role)) {
            return reply.code(403).send({ code: 'FORBIDDEN' });
          }
          const limit = Math.min(100, Math.max(1, Number(req.query.limit ?? 20) || 20));
          const rows = await kit.inTenant(tenantId, async (c) => {
            const res = await c.query<{
              tenant_id: string;
              id: string;
              phone_masked: string;
              nickname: string | null;
              created_at: Date;
              last_login_at: Date | null;
            }>(
              `SELECT tenant_id, id, phone_masked, nickname, created_at, last_login_at FROM customers
                WHERE tenant_id = $1 ORDER BY id ASC LIMIT $2 OFFSET $3`,
              [tenantId, limit + 1, 0],
            );
            return res.rows;
          });
          const items = rows.slice(0, limit).map((r) => ({
            id: r.id,
            phoneMasked: r.phone_masked,
            nickname: r.nickname,
            createdAt: r.created_at,
            lastLoginAt: r.last_login_at,
          }));
          return { items, nextCursor: rows.length > limit ? (items[items.length - 1]?.id ?? null) : null };
        },
      );
    },
  },
});
