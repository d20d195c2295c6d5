import type { SeedContext } from './scenario';

/** Building blocks shared by scenario seeds; rows are inserted as superuser, shaped as the app writes them. */
export interface SeededStore {
  id: string;
  slug: string;
}

export async function seedStore(ctx: SeedContext, slug: string, name: string): Promise<SeededStore> {
  const { rows } = await ctx.admin.query<{ id: string }>(
    `INSERT INTO tenants (slug, name, status, city, display_name, approved_at)
     VALUES ($1, $2, 'active', '上海', $2, now()) RETURNING id`,
    [slug, name],
  );
  return { id: rows[0]!.id, slug };
}

export async function seedStaff(
  ctx: SeedContext,
  store: SeededStore,
  role: 'tenant_owner' | 'store_manager' | 'store_staff',
): Promise<{ id: string; token: string }> {
  const { rows } = await ctx.admin.query<{ id: string }>(
    `INSERT INTO staff_accounts (tenant_id, email, password_hash, name, role)
     VALUES ($1, $2, $3, '压测店长', $4) RETURNING id`,
    [store.id, `${role}@${store.slug}.bench.local`, await ctx.app.hashPassword('Bench-password-1'), role],
  );
  const id = rows[0]!.id;
  return { id, token: await ctx.app.accessToken({ id, role, tenantId: store.id, kind: 'staff' }) };
}

const NICKNAMES = ['王女士', '李先生', '张女士', '刘先生', '陈女士', '杨先生', '赵女士', '黄先生', '周女士', '吴先生'];

/** `count` customers with encrypted phones, lookup hashes and masks, created a minute apart. */
export async function seedCustomers(ctx: SeedContext, store: SeededStore, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const phone = `13900${String(i).padStart(6, '0')}`;
    await ctx.admin.query(
      `INSERT INTO customers (tenant_id, phone_enc, phone_hash, phone_masked, nickname, last_login_at, created_at)
       VALUES ($1, $2, $3, $4, $5, now() - make_interval(hours => $6), now() - make_interval(mins => $6))`,
      [
        store.id,
        ctx.app.cipher.encrypt(phone, `customers.phone:${store.id}`),
        ctx.app.hasher.hash('phone', phone),
        ctx.app.maskPhone(phone),
        NICKNAMES[i % NICKNAMES.length],
        i,
      ],
    );
  }
}
