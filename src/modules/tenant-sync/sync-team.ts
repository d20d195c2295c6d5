import type pg from 'pg';
import type { FieldCipher, LookupHasher } from '../../platform/crypto/field-cipher';
import { WEEKDAYS } from '../store-profile/opening-hours';
import { defaultDisplayName } from '../technicians/display-name';
import { TechnicianPii } from '../technicians/technician-pii';
import { upsertKeyed } from './keyed-rows';
import type { TechnicianSync } from './sync-report';
import type { TechnicianSpec, TierSpec } from './team-file.schema';

/**
 * Tiers and (demo) technicians with their weekly shifts, inside the store's RLS transaction.
 * A technician is created approved, with the phone sealed exactly as the app seals it (so the
 * SMS sign-in finds them); the file keeps their profile and shifts in line afterwards, while
 * being on duty and their position stay the technician's. Technicians the file no longer lists,
 * and shifts staff added in the app, are left alone.
 */
export async function syncTeam(
  db: pg.ClientBase,
  tenantId: string,
  spec: { tiers: TierSpec[]; technicians: TechnicianSpec[] },
  crypto: { cipher: FieldCipher; hasher: LookupHasher },
  file: string,
): Promise<{ changes: string[]; technicians: TechnicianSync[] }> {
  const changes: string[] = [];
  const tierIds = new Map<string, string>();
  for (const [i, t] of spec.tiers.entries()) {
    const tier = await upsertKeyed(db, {
      table: 'technician_tiers',
      key: t.code,
      label: `${file}: tier ${t.code}`,
      want: { code: t.code, name: t.name, commission_bps: t.commissionBps, sort: i * 10 },
    });
    tierIds.set(t.code, tier.id);
    if (tier.result !== 'unchanged') changes.push(`tier ${t.code}`);
  }

  const pii = new TechnicianPii(crypto.cipher, crypto.hasher);
  const technicians: TechnicianSync[] = [];
  for (const t of spec.technicians) {
    const phone = pii.sealPhone(tenantId, t.phone)!;
    const now = new Date();
    const displayName = t.displayName ?? defaultDisplayName(t.name);
    const row = await upsertKeyed(db, {
      table: 'technicians',
      key: t.key,
      label: `${file}: technician ${t.key}`,
      want: {
        phone_hash: Buffer.from(phone.phoneHash),
        name: t.name,
        display_name: displayName,
        gender: t.gender,
        skills: t.skills,
        experience_years: t.experienceYears ?? null,
        introduction: t.introduction?.trim() ?? null,
        tier_id: t.tier ? tierIds.get(t.tier)! : null,
        home_lat: t.home.lat,
        home_lng: t.home.lng,
        status: 'approved',
        rejection_reason: null,
        disabled_at: null,
      },
      alongside: { phone_hash: { phone_enc: Buffer.from(phone.phoneEnc), phone_masked: phone.phoneMasked } },
      initial: {
        online: t.online,
        online_since: t.online ? now : null,
        // Last seen at home, so dispatch and SOS have a position before the app reports one.
        last_lat: t.home.lat,
        last_lng: t.home.lng,
        located_at: now,
        submitted_at: now,
        reviewed_at: now,
      },
    });
    if (row.result !== 'unchanged') changes.push(`technician ${t.key}`);
    if (await syncShifts(db, row.id, t)) changes.push(`shifts ${t.key}`);
    technicians.push({ key: t.key, displayName, phone: t.phone, result: row.result });
  }
  return { changes, technicians };
}

/** The technician's file-made weekly templates become exactly the file's; returns whether any changed. */
async function syncShifts(db: pg.ClientBase, technicianId: string, t: TechnicianSpec): Promise<boolean> {
  const perDay = new Map<number, number>();
  const keys: string[] = [];
  let changed = false;
  for (const s of t.shifts) {
    for (const day of s.days) {
      const weekday = WEEKDAYS.indexOf(day) + 1; // ISO: 1 = Monday
      const n = (perDay.get(weekday) ?? 0) + 1;
      perDay.set(weekday, n);
      const key = `${t.key}.${weekday}.${n}`;
      keys.push(key);
      const { result } = await upsertKeyed(db, {
        table: 'shift_templates',
        key,
        label: `shift ${key}`,
        want: { technician_id: technicianId, weekday, start_time: `${s.start}:00`, end_time: `${s.end}:00` },
      });
      changed ||= result !== 'unchanged';
    }
  }
  // Templates are plans, not history: the file's own rows it no longer lists are removed.
  const removed = await db.query(
    `DELETE FROM shift_templates
      WHERE technician_id = $1 AND sync_key IS NOT NULL AND NOT (sync_key = ANY ($2::text[]))`,
    [technicianId, keys],
  );
  return changed || (removed.rowCount ?? 0) > 0;
}
