import { isDeepStrictEqual } from 'node:util';
import type pg from 'pg';
import type { AddonSpec, CatalogSpec } from './catalog-file.schema';
import { retireMissing, upsertKeyed } from './keyed-rows';

/**
 * Brings the store's catalog in line with the `catalog` section, inside the store's RLS
 * transaction: categories, services with their duration prices, add-ons (加钟, materials) and the
 * travel-fee rules. Entries are found by key; entries the file no longer lists are deactivated
 * (orders refer to them), never deleted; rows created in the app are not touched. Returns what
 * changed, e.g. `service jingan-aroma-full`, `retired service old-key`.
 */
export async function syncCatalog(db: pg.ClientBase, catalog: CatalogSpec, file: string): Promise<string[]> {
  const changes: string[] = [];
  const note = (what: string, key: string, result: string) => {
    if (result !== 'unchanged') changes.push(`${what} ${key}`);
  };
  const addonKeys: string[] = [];
  const syncAddon = async (a: AddonSpec, serviceId: string | null, index: number) => {
    addonKeys.push(a.key);
    const { result } = await upsertKeyed(db, {
      table: 'service_addons',
      key: a.key,
      label: `${file}: catalog add-on ${a.key}`,
      want: {
        service_id: serviceId,
        kind: a.kind,
        name_zh: a.nameZh,
        name_en: a.nameEn ?? null,
        minutes: a.minutes ?? null,
        price_fen: a.priceFen,
        max_quantity: a.maxQuantity,
        sort_order: index * 10,
        active: true,
      },
    });
    note('add-on', a.key, result);
  };

  for (const [i, c] of catalog.categories.entries()) {
    const category = await upsertKeyed(db, {
      table: 'service_categories',
      key: c.key,
      label: `${file}: catalog category ${c.key} (${c.nameZh})`,
      want: { name_zh: c.nameZh, name_en: c.nameEn ?? null, icon: c.icon ?? null, sort_order: i * 10, active: true },
    });
    note('category', c.key, category.result);
    for (const [j, s] of c.services.entries()) {
      // Images are not in the file: pictures staff upload to a synced service stay.
      const service = await upsertKeyed(db, {
        table: 'services',
        key: s.key,
        label: `${file}: catalog service ${s.key}`,
        want: {
          category_id: category.id,
          name_zh: s.nameZh,
          name_en: s.nameEn ?? null,
          description: s.description?.trim() ?? null,
          required_skills: s.requiredSkills,
          sort_order: j * 10,
          active: true,
        },
      });
      note('service', s.key, service.result);
      const repriced = await syncDurations(db, service.id, s.durations);
      if (repriced && service.result !== 'created') changes.push(`prices ${s.key}`);
      for (const [k, a] of s.addons.entries()) await syncAddon(a, service.id, k);
    }
  }
  for (const [k, a] of catalog.addons.entries()) await syncAddon(a, null, k);

  const categoryKeys = catalog.categories.map((c) => c.key);
  const serviceKeys = catalog.categories.flatMap((c) => c.services.map((s) => s.key));
  for (const [table, what, keep] of [
    ['services', 'service', serviceKeys],
    ['service_addons', 'add-on', addonKeys],
    ['service_categories', 'category', categoryKeys],
  ] as const) {
    for (const key of await retireMissing(db, table, keep)) changes.push(`retired ${what} ${key}`);
  }
  if (catalog.travelFee && (await syncTravelFee(db, catalog.travelFee))) changes.push('travel fee');
  return changes;
}

/** The service's duration options become exactly the file's; returns whether anything changed. */
async function syncDurations(
  db: pg.ClientBase,
  serviceId: string,
  want: Array<{ minutes: number; priceFen: number }>,
): Promise<boolean> {
  const { rows } = await db.query<{ minutes: number; price_fen: number }>(
    'SELECT minutes, price_fen FROM service_durations WHERE service_id = $1',
    [serviceId],
  );
  const have = new Map(rows.map((r) => [r.minutes, r.price_fen]));
  const stale = rows.map((r) => r.minutes).filter((m) => !want.some((d) => d.minutes === m));
  const upserts = want.filter((d) => have.get(d.minutes) !== d.priceFen);
  if (stale.length > 0) {
    await db.query('DELETE FROM service_durations WHERE service_id = $1 AND minutes = ANY ($2::int[])', [
      serviceId,
      stale,
    ]);
  }
  for (const d of upserts) {
    await db.query(
      `INSERT INTO service_durations (tenant_id, service_id, minutes, price_fen)
       VALUES (current_tenant_id(), $1, $2, $3)
       ON CONFLICT (tenant_id, service_id, minutes) DO UPDATE SET price_fen = EXCLUDED.price_fen`,
      [serviceId, d.minutes, d.priceFen],
    );
  }
  return stale.length > 0 || upserts.length > 0;
}

const minuteOfDay = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The store's one travel-fee rule set (车费, 夜间费); returns whether it changed. */
async function syncTravelFee(db: pg.ClientBase, fee: NonNullable<CatalogSpec['travelFee']>): Promise<boolean> {
  const want = {
    free_radius_m: Math.round(fee.freeRadiusKm * 1000),
    price_per_km_fen: fee.pricePerKmFen,
    night_start_minute: fee.night ? minuteOfDay(fee.night.start) : null,
    night_end_minute: fee.night ? minuteOfDay(fee.night.end) : null,
    night_surcharge_fen: fee.night?.surchargeFen ?? 0,
    minimum_order_fen: fee.minimumOrderFen,
  };
  const names = Object.keys(want);
  const { rows } = await db.query<Record<string, unknown>>(`SELECT ${names.join(', ')} FROM travel_fee_rules`);
  if (rows[0] && isDeepStrictEqual(rows[0], want)) return false;
  await db.query(
    `INSERT INTO travel_fee_rules (tenant_id, ${names.join(', ')})
     VALUES (current_tenant_id(), ${names.map((_, i) => `$${i + 1}`).join(', ')})
     ON CONFLICT (tenant_id) DO UPDATE SET ${names.map((n) => `${n} = EXCLUDED.${n}`).join(', ')}`,
    Object.values(want),
  );
  return true;
}
