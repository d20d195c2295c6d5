import type pg from 'pg';
import { hashPassword, verifyPassword } from '../../platform/crypto/password';
import type { FieldCipher, LookupHasher } from '../../platform/crypto/field-cipher';
import type { SyncResult } from './sync-report';

export interface DesiredStaff {
  email: string;
  name: string;
  role: string;
  password: string;
  phone?: string;
}

interface StaffRow {
  id: string;
  name: string;
  role: string;
  password_hash: string;
  phone_enc: Buffer | null;
  disabled_at: Date | null;
}

/**
 * Upserts one staff account by e-mail inside the store's RLS transaction (the client has
 * `app.tenant_id` set). The password is re-hashed only when the stored hash no longer verifies,
 * so a second run writes nothing. Accounts absent from the yaml are left alone.
 */
export async function syncStaff(
  db: pg.ClientBase,
  tenantId: string,
  want: DesiredStaff,
  crypto: { cipher: FieldCipher; hasher: LookupHasher },
): Promise<SyncResult> {
  const aad = `${tenantId}:staff_accounts.phone`;
  const phoneEnc = want.phone ? crypto.cipher.encrypt(want.phone, aad) : null;
  const phoneHash = want.phone ? crypto.hasher.hash('phone', want.phone) : null;
  const { rows } = await db.query<StaffRow>(
    'SELECT id, name, role, password_hash, phone_enc, disabled_at FROM staff_accounts WHERE email = $1',
    [want.email],
  );
  const row = rows[0];
  if (!row) {
    await db.query(
      `INSERT INTO staff_accounts (tenant_id, email, password_hash, name, role, phone_enc, phone_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [tenantId, want.email, await hashPassword(want.password), want.name, want.role, phoneEnc, phoneHash],
    );
    return 'created';
  }
  const currentPhone = row.phone_enc ? crypto.cipher.decrypt(row.phone_enc, aad) : undefined;
  const passwordOk = await verifyPassword(row.password_hash, want.password);
  const phoneSame = currentPhone === want.phone;
  if (row.name === want.name && row.role === want.role && passwordOk && phoneSame && row.disabled_at === null) {
    return 'unchanged';
  }
  await db.query(
    `UPDATE staff_accounts
        SET name = $2, role = $3, password_hash = $4, disabled_at = NULL,
            phone_enc = CASE WHEN $5 THEN phone_enc ELSE $6 END,
            phone_hash = CASE WHEN $5 THEN phone_hash ELSE $7 END
      WHERE id = $1`,
    [
      row.id,
      want.name,
      want.role,
      passwordOk ? row.password_hash : await hashPassword(want.password),
      phoneSame,
      phoneEnc,
      phoneHash,
    ],
  );
  return 'updated';
}

/**
 * Upserts a platform operator by e-mail. Runs on the administrator connection: the app role may
 * only read platform_operators, so a compromised API cannot mint operators.
 */
export async function syncOperator(
  admin: pg.ClientBase,
  want: { email: string; name: string; password: string },
): Promise<SyncResult> {
  const { rows } = await admin.query<{ id: string; name: string; password_hash: string; disabled_at: Date | null }>(
    'SELECT id, name, password_hash, disabled_at FROM platform_operators WHERE email = $1 FOR UPDATE',
    [want.email],
  );
  const row = rows[0];
  if (!row) {
    await admin.query('INSERT INTO platform_operators (email, password_hash, name) VALUES ($1, $2, $3)', [
      want.email,
      await hashPassword(want.password),
      want.name,
    ]);
    return 'created';
  }
  const passwordOk = await verifyPassword(row.password_hash, want.password);
  if (row.name === want.name && passwordOk && row.disabled_at === null) return 'unchanged';
  await admin.query('UPDATE platform_operators SET name = $2, password_hash = $3, disabled_at = NULL WHERE id = $1', [
    row.id,
    want.name,
    passwordOk ? row.password_hash : await hashPassword(want.password),
  ]);
  return 'updated';
}
