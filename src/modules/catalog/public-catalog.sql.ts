/**
 * The whole public catalog of one store in one statement, as JSON text ready to send: active
 * categories that have at least one active, bookable (priced) service; each service with its
 * duration options and its own active add-ons; store-wide add-ons; travel-fee rules. $1 is the
 * tenant id (RLS applies as well; the explicit predicate lets the planner use the PK indexes).
 * Image entries that are file ids become `/api/files/{id}` paths (relative to the store).
 *
 * The `catalog-read` benchmark baseline runs exactly this text through bare pg.
 */
export const PUBLIC_CATALOG_SQL = `
WITH svc AS (
  SELECT s.category_id, s.sort_order, s.name_zh,
    json_build_object(
      'id', s.id, 'nameZh', s.name_zh, 'nameEn', s.name_en, 'description', s.description,
      'images', (SELECT coalesce(json_agg(CASE WHEN i ~ '^[0-9a-fA-F-]{36}$' THEN '/api/files/' || i ELSE i END ORDER BY n), '[]')
                   FROM unnest(s.images) WITH ORDINALITY AS x(i, n)),
      'requiredSkills', s.required_skills,
      'durations', (SELECT json_agg(json_build_object('minutes', d.minutes, 'priceFen', d.price_fen) ORDER BY d.minutes)
                      FROM service_durations d WHERE d.tenant_id = s.tenant_id AND d.service_id = s.id),
      'addons', (SELECT coalesce(json_agg(json_build_object('id', a.id, 'kind', a.kind, 'nameZh', a.name_zh, 'nameEn', a.name_en,
                          'minutes', a.minutes, 'priceFen', a.price_fen, 'maxQuantity', a.max_quantity)
                          ORDER BY a.sort_order, a.name_zh), '[]')
                   FROM service_addons a WHERE a.tenant_id = s.tenant_id AND a.service_id = s.id AND a.active)
    ) AS j
  FROM services s
  WHERE s.tenant_id = $1::uuid AND s.active
    AND EXISTS (SELECT 1 FROM service_durations d WHERE d.tenant_id = s.tenant_id AND d.service_id = s.id)
)
SELECT json_build_object(
  'categories', (SELECT coalesce(json_agg(json_build_object(
                    'id', c.id, 'nameZh', c.name_zh, 'nameEn', c.name_en, 'icon', c.icon,
                    'services', (SELECT json_agg(svc.j ORDER BY svc.sort_order, svc.name_zh) FROM svc WHERE svc.category_id = c.id)
                  ) ORDER BY c.sort_order, c.name_zh), '[]')
                 FROM service_categories c
                 WHERE c.tenant_id = $1::uuid AND c.active AND EXISTS (SELECT 1 FROM svc WHERE svc.category_id = c.id)),
  'storeAddons', (SELECT coalesce(json_agg(json_build_object('id', a.id, 'kind', a.kind, 'nameZh', a.name_zh, 'nameEn', a.name_en,
                    'minutes', a.minutes, 'priceFen', a.price_fen, 'maxQuantity', a.max_quantity)
                    ORDER BY a.sort_order, a.name_zh), '[]')
                  FROM service_addons a WHERE a.tenant_id = $1::uuid AND a.service_id IS NULL AND a.active),
  'travelFee', (SELECT json_build_object('freeRadiusM', r.free_radius_m, 'pricePerKmFen', r.price_per_km_fen,
                  'nightStartMinute', r.night_start_minute, 'nightEndMinute', r.night_end_minute,
                  'nightSurchargeFen', r.night_surcharge_fen, 'minimumOrderFen', r.minimum_order_fen)
                FROM travel_fee_rules r WHERE r.tenant_id = $1::uuid)
)::text AS catalog`;
