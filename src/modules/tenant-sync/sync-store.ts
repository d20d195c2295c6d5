import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { FieldCipher, LookupHasher } from '../../platform/crypto/field-cipher';
import type { LoadedTenant } from './load-tenant-files';
import { resolvePassword } from './resolve-password';
import { statusPath } from './status-path';
import { syncStaff } from './sync-accounts';
import type { StoreSync, SyncResult } from './sync-report';
import { syncCatalog } from './sync-catalog';
import { syncStoreProfile } from './sync-store-profile';
import { syncTeam } from './sync-team';

/** Where a store's logo (shipped in its tenants/ folder) is served. */
export const TENANT_ASSETS_PATH = '/tenant-assets';

interface TenantRow {
  id: string;
  status: string;
  name: string;
  display_name: string;
  city: string;
  address: string | null;
  logo_url: string | null;
  theme_color: string;
  timezone: string;
  locale: string;
}

/** Columns of `tenants` the yaml controls (and the app role may update). */
const TENANT_COLUMNS = [
  'name',
  'display_name',
  'city',
  'address',
  'logo_url',
  'theme_color',
  'timezone',
  'locale',
] as const;

/**
 * Brings one store in line with its yaml, as one unit of work on the app role: the tenant row
 * (inserted as `pending` under its own id, which is what RLS allows), its status through the
 * audited platform function, its profile, its staff, its catalog and its (demo) technicians. Runs
 * twice → the second run writes nothing.
 */
export async function syncStore(
  db: pg.ClientBase,
  loaded: LoadedTenant,
  crypto: { cipher: FieldCipher; hasher: LookupHasher },
): Promise<StoreSync> {
  const { spec, file } = loaded;
  const want: Record<(typeof TENANT_COLUMNS)[number], string | null> = {
    name: spec.name,
    display_name: spec.displayName,
    city: spec.city,
    address: spec.address,
    logo_url: spec.branding.logo ? `${TENANT_ASSETS_PATH}/${spec.slug}/${spec.branding.logo}` : null,
    theme_color: spec.branding.themeColor,
    timezone: spec.timezone,
    locale: spec.locale,
  };
  const staffWanted = spec.staff.map((s) => ({ ...s, password: resolvePassword(s, `${file}: staff ${s.email}`) }));

  try {
    await db.query('BEGIN');
    // Two syncs at once (launcher + CLI) must not both create the store.
    await db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`tenants-sync:${spec.slug}`]);
    const found = await db.query<TenantRow>('SELECT * FROM tenants WHERE slug = $1', [spec.slug]);
    const current = found.rows[0];
    const tenantId = current?.id ?? randomUUID();
    await db.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);

    const changes: string[] = [];
    if (!current) {
      await db.query(
        `INSERT INTO tenants (id, slug, status, ${TENANT_COLUMNS.join(', ')})
         VALUES ($1, $2, 'pending', ${TENANT_COLUMNS.map((_, i) => `$${i + 3}`).join(', ')})`,
        [tenantId, spec.slug, ...TENANT_COLUMNS.map((c) => want[c])],
      );
    } else {
      const differing = TENANT_COLUMNS.filter((c) => current[c] !== want[c]);
      if (differing.length > 0) {
        await db.query(`UPDATE tenants SET ${differing.map((c, i) => `${c} = $${i + 2}`).join(', ')} WHERE id = $1`, [
          tenantId,
          ...differing.map((c) => want[c]),
        ]);
        changes.push(...differing.map((c) => `tenant.${c}`));
      }
    }

    const from = current?.status ?? 'pending';
    let steps: string[];
    try {
      steps = statusPath(from, spec.status);
    } catch (e) {
      throw new Error(`${file}: ${(e as Error).message}`);
    }
    for (const step of steps) {
      const reason = step === 'suspended' ? (spec.statusReason ?? null) : null;
      await db.query(`SELECT 1 FROM platform.set_tenant_status($1, $2, $3, 'system', 'tenants-sync', NULL)`, [
        tenantId,
        step,
        reason,
      ]);
    }
    if (steps.length > 0 && current) changes.push(`status ${from}→${spec.status}`);

    const profileResult = await syncStoreProfile(db, tenantId, spec, crypto.cipher);
    if (profileResult === 'updated') changes.push('profile');

    const staff = [];
    for (const s of staffWanted) {
      const result = await syncStaff(db, tenantId, s, crypto);
      if (result !== 'unchanged' && current) changes.push(`staff ${s.email}`);
      staff.push({
        email: s.email,
        name: s.name,
        role: s.role,
        result,
        ...(spec.demo ? { password: s.password } : {}),
      });
    }
    // After the staff, before the commit: one unit of work per store, all or nothing.
    const catalogChanges = spec.catalog ? await syncCatalog(db, spec.catalog, file) : [];
    const team = await syncTeam(db, tenantId, spec, crypto, file);
    if (current) changes.push(...catalogChanges, ...team.changes);
    await db.query('COMMIT');

    const result: SyncResult = !current ? 'created' : changes.length > 0 ? 'updated' : 'unchanged';
    return {
      slug: spec.slug,
      name: spec.name,
      displayName: spec.displayName,
      city: spec.city,
      status: spec.status,
      result,
      changes,
      staff,
      technicians: team.technicians,
    };
  } catch (e) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}
