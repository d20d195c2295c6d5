import { isDeepStrictEqual } from 'node:util';
import type pg from 'pg';
import type { FieldCipher } from '../../platform/crypto/field-cipher';
import { normalizeOpeningHours } from '../store-profile/opening-hours';
import { maskStorePhone, storePhoneAad } from '../store-profile/store-phone';
import type { TenantFile } from './tenant-file.schema';

interface ProfileRow {
  address: string | null;
  lat: number | null;
  lng: number | null;
  phone_enc: Buffer | null;
  phone_masked: string | null;
  opening_hours: unknown;
  introduction: string | null;
  photo_urls: string[];
  area_center_lat: number | null;
  area_center_lng: number | null;
  area_radius_m: number | null;
  area_polygon: unknown;
}

type Comparable = Omit<ProfileRow, 'phone_enc'> & { phone: string | null };

function desired(spec: TenantFile): Comparable {
  const area = spec.serviceArea;
  const circle = area && 'center' in area ? area : undefined;
  return {
    address: spec.address,
    lat: spec.location.lat,
    lng: spec.location.lng,
    phone: spec.phone,
    phone_masked: maskStorePhone(spec.phone),
    opening_hours: normalizeOpeningHours(spec.openingHours),
    introduction: spec.introduction?.trim() ?? null,
    photo_urls: spec.photos,
    area_center_lat: circle?.center.lat ?? null,
    area_center_lng: circle?.center.lng ?? null,
    area_radius_m: circle ? Math.round(circle.radiusKm * 1000) : null,
    area_polygon: area && 'polygon' in area ? area.polygon : null,
  };
}

/** Upserts the store's profile row (inside its RLS transaction); returns whether anything changed. */
export async function syncStoreProfile(
  db: pg.ClientBase,
  tenantId: string,
  spec: TenantFile,
  cipher: FieldCipher,
): Promise<'created' | 'updated' | 'unchanged'> {
  const want = desired(spec);
  const { rows } = await db.query<ProfileRow>('SELECT * FROM store_profiles WHERE tenant_id = $1', [tenantId]);
  const row = rows[0];
  if (row) {
    const { phone_enc, ...rest } = row;
    const have: Comparable = {
      ...pick(rest, want),
      phone: phone_enc ? cipher.decrypt(phone_enc, storePhoneAad(tenantId)) : null,
    };
    if (isDeepStrictEqual(have, want)) return 'unchanged';
  }
  const { phone, ...cols } = want;
  const values = {
    ...cols,
    phone_enc: phone ? cipher.encrypt(phone, storePhoneAad(tenantId)) : null,
    opening_hours: JSON.stringify(cols.opening_hours),
    area_polygon: cols.area_polygon === null ? null : JSON.stringify(cols.area_polygon),
  };
  const names = Object.keys(values);
  const params = Object.values(values);
  await db.query(
    `INSERT INTO store_profiles (tenant_id, ${names.join(', ')})
     VALUES ($1, ${names.map((_, i) => `$${i + 2}`).join(', ')})
     ON CONFLICT (tenant_id) DO UPDATE SET ${names.map((n) => `${n} = EXCLUDED.${n}`).join(', ')}`,
    [tenantId, ...params],
  );
  return row ? 'updated' : 'created';
}

/** The row's columns that the yaml controls, in the same shape as `desired`. */
function pick(row: Omit<ProfileRow, 'phone_enc'>, like: Comparable): Omit<Comparable, 'phone'> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(like)) if (k !== 'phone') out[k] = row[k as keyof typeof row];
  return out as Omit<Comparable, 'phone'>;
}
