import { randomBytes, randomUUID } from 'node:crypto';
import type pg from 'pg';

/** Anything that can run a parameterised query as the administrator (RLS does not apply). */
export interface SeedDb {
  query(sql: string, params?: unknown[]): Promise<pg.QueryResult>;
}

/** Inserts one valid row of a tenant table for `tenantId`, creating any parent rows it needs. */
export type TenantTableSeed = (admin: SeedDb, tenantId: string) => Promise<void>;

/**
 * One seed per tenant table (every table in `public` with a `tenant_id` column). The isolation
 * suite (test/isolation.test.ts) discovers tenant tables from the catalog and fails for any table
 * that has no entry here, so whoever adds a tenant table adds its seed in the same change.
 *
 * Rules for a seed: insert exactly the table's own row plus whatever parents its foreign keys need
 * (call the parent's seed helper or insert directly), always with the given tenant, and use random
 * values for anything unique so a seed can run many times per tenant.
 */
export const TENANT_TABLE_SEEDS: Record<string, TenantTableSeed> = {
  staff_accounts: async (admin, tenantId) => {
    await insertStaff(admin, tenantId);
  },
  customers: async (admin, tenantId) => {
    await insertCustomer(admin, tenantId);
  },
  technicians: async (admin, tenantId) => {
    await insertTechnician(admin, tenantId);
  },
  auth_sessions: async (admin, tenantId) => {
    await insertAuthSession(admin, tenantId);
  },
  refresh_tokens: async (admin, tenantId) => {
    const sessionId = await insertAuthSession(admin, tenantId);
    await admin.query(`INSERT INTO refresh_tokens (tenant_id, session_id, token_hash) VALUES ($1, $2, $3)`, [
      tenantId,
      sessionId,
      randomBytes(32),
    ]);
  },
  audit_events: async (admin, tenantId) => {
    await admin.query(
      `INSERT INTO audit_events (tenant_id, actor_type, actor_id, action, target_type, target_id, ip)
       VALUES ($1, 'staff', $2, 'seed.created', 'seed', $2, '127.0.0.1')`,
      [tenantId, randomUUID()],
    );
  },
  technician_tiers: async (admin, tenantId) => {
    await insertTechnicianTier(admin, tenantId);
  },
  technician_certificates: async (admin, tenantId) => {
    const technicianId = await insertTechnician(admin, tenantId);
    const fileId = randomUUID();
    await admin.query(
      `INSERT INTO files (tenant_id, id, kind, content_type, size_bytes, storage_key, sha256, uploader_type,
                          uploaded_by, sensitive, encrypted)
       VALUES ($1, $2, 'certificate', 'application/pdf', 100, $3, $4, 'technician', $5, true, true)`,
      [
        tenantId,
        fileId,
        `tenants/${tenantId}/certificate/${fileId}.pdf`,
        randomBytes(32).toString('hex'),
        technicianId,
      ],
    );
    await admin.query(
      `INSERT INTO technician_certificates (tenant_id, technician_id, file_id, kind) VALUES ($1, $2, $3, 'health_certificate')`,
      [tenantId, technicianId, fileId],
    );
  },
};

// ---- parent-row helpers other seeds can reuse (each returns the new row's id) -----------------

export async function insertStaff(
  admin: SeedDb,
  tenantId: string,
  role: 'tenant_owner' | 'store_manager' | 'store_staff' = 'store_staff',
): Promise<string> {
  const { rows } = await admin.query(
    `INSERT INTO staff_accounts (tenant_id, email, password_hash, name, role)
     VALUES ($1, $2, 'not-a-real-hash', '种子店员', $3) RETURNING id`,
    [tenantId, `seed-${randomUUID()}@example.com`, role],
  );
  return (rows[0] as { id: string }).id;
}

export async function insertCustomer(admin: SeedDb, tenantId: string, nickname = '种子顾客'): Promise<string> {
  const { rows } = await admin.query(
    `INSERT INTO customers (tenant_id, phone_enc, phone_hash, phone_masked, nickname)
     VALUES ($1, $2, $3, '138****0000', $4) RETURNING id`,
    [tenantId, randomBytes(40), randomBytes(32), nickname],
  );
  return (rows[0] as { id: string }).id;
}

export async function insertTechnician(admin: SeedDb, tenantId: string): Promise<string> {
  const { rows } = await admin.query(
    `INSERT INTO technicians (tenant_id, phone_enc, phone_hash, phone_masked, name, status)
     VALUES ($1, $2, $3, '139****0000', '种子技师', 'approved') RETURNING id`,
    [tenantId, randomBytes(40), randomBytes(32)],
  );
  return (rows[0] as { id: string }).id;
}

export async function insertAuthSession(admin: SeedDb, tenantId: string): Promise<string> {
  const customerId = await insertCustomer(admin, tenantId);
  const { rows } = await admin.query(
    `INSERT INTO auth_sessions (tenant_id, principal_type, principal_id, expires_at)
     VALUES ($1, 'customer', $2, now() + interval '30 days') RETURNING id`,
    [tenantId, customerId],
  );
  return (rows[0] as { id: string }).id;
}

export async function insertTechnicianTier(admin: SeedDb, tenantId: string, commissionBps = 5000): Promise<string> {
  const { rows } = await admin.query(
    `INSERT INTO technician_tiers (tenant_id, code, name, commission_bps) VALUES ($1, $2, '种子等级', $3) RETURNING id`,
    [tenantId, `t${randomBytes(6).toString('hex')}`, commissionBps],
  );
  return (rows[0] as { id: string }).id;
}
