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

/** One customer with a home address at `at`, sealed with the app's keys as the API would. */
export async function seedCustomerWithAddress(
  ctx: SeedContext,
  store: SeededStore,
  phone: string,
  at: { lat: number; lng: number },
): Promise<{ customerId: string; addressId: string }> {
  const sealed = (table: string) => ctx.app.cipher.encrypt(phone, `${store.id}:${table}.phone`);
  const customer = await ctx.admin.query<{ id: string }>(
    `INSERT INTO customers (tenant_id, phone_enc, phone_hash, phone_masked) VALUES ($1, $2, $3, $4) RETURNING id`,
    [store.id, sealed('customers'), ctx.app.hasher.hash('phone', phone), ctx.app.maskPhone(phone)],
  );
  const customerId = customer.rows[0]!.id;
  const address = await ctx.admin.query<{ id: string }>(
    `INSERT INTO customer_addresses (tenant_id, customer_id, contact_name, phone_enc, phone_hash, phone_masked, lat, lng,
                                     address_text, house_number, kind)
     VALUES ($1, $2, '王女士', $3, $4, $5, $6, $7, '上海市黄浦区人民大道', '1号', 'home') RETURNING id`,
    [
      store.id,
      customerId,
      sealed('customer_addresses'),
      ctx.app.hasher.hash('phone', phone),
      ctx.app.maskPhone(phone),
      at.lat,
      at.lng,
    ],
  );
  return { customerId, addressId: address.rows[0]!.id };
}

/**
 * `count` approved technicians, online, placed on a grid around `centre` (`perRow` per row,
 * ~200 m apart); phones are `{phonePrefix}` + a 6-digit index.
 */
export async function seedOnlineTechnicians(
  ctx: SeedContext,
  store: SeededStore,
  opts: { count: number; phonePrefix: string; perRow: number; centre: { lat: number; lng: number } },
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < opts.count; i++) {
    const p = `${opts.phonePrefix}${String(i).padStart(6, '0')}`;
    const t = await ctx.admin.query<{ id: string }>(
      `INSERT INTO technicians (tenant_id, phone_enc, phone_hash, phone_masked, name, status, online, online_since,
                                last_lat, last_lng, located_at)
       VALUES ($1, $2, $3, $4, $5, 'approved', true, now(), $6, $7, now()) RETURNING id`,
      [
        store.id,
        ctx.app.cipher.encrypt(p, `${store.id}:technicians.phone`),
        ctx.app.hasher.hash('phone', p),
        ctx.app.maskPhone(p),
        `技师${i + 1}`,
        opts.centre.lat + ((i % opts.perRow) - opts.perRow / 2) * 0.002,
        opts.centre.lng + (Math.floor(i / opts.perRow) - 5) * 0.002,
      ],
    );
    ids.push(t.rows[0]!.id);
  }
  return ids;
}
