import { Injectable } from '@nestjs/common';
import type { Prisma } from '../../generated/prisma/client';
import { TenantContext } from '../../platform/database/tenant-context';

/** The columns staff see; the encrypted phone and its lookup hash never leave the repository. */
const SUMMARY = {
  id: true,
  phoneMasked: true,
  nickname: true,
  createdAt: true,
  lastLoginAt: true,
} as const satisfies Prisma.CustomerSelect;

export type CustomerSummary = Prisma.CustomerGetPayload<{ select: typeof SUMMARY }>;

interface CustomerRow {
  id: string;
  phone_masked: string;
  nickname: string | null;
  created_at: Date;
  last_login_at: Date | null;
}

/** `%` and `_` typed by the user are literal characters, not wildcards. */
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

@Injectable()
export class CustomersRepository {
  constructor(private readonly tenantContext: TenantContext) {}

  /**
   * Keyset pagination in primary-key order: `(tenant_id, id)` is the PK, so a page is an index
   * range scan with no sort and the cursor is simply the last id. This is the `tenant-read`
   * benchmark path, so it runs as plain SQL inside TenantContext.runSql (the route is marked
   * @SqlUnitOfWork): `BEGIN; set_config(...)` in one round trip, then the statement below, then
   * COMMIT. RLS adds `tenant_id = (SELECT current_tenant_id())` on top of the explicit filter.
   * Only roles whose read rule has no conditions reach it (canListAllCustomers), so CASL adds no
   * filter of its own here.
   */
  async list(take: number, afterId?: string, q?: string): Promise<CustomerSummary[]> {
    const args: unknown[] = [this.tenantContext.tenantId(), take];
    let sql = `SELECT id, phone_masked, nickname, created_at, last_login_at FROM customers WHERE tenant_id = $1`;
    if (afterId) sql += ` AND id > $${args.push(afterId)}`;
    const text = q?.trim();
    if (text && /^\d{4}$/.test(text)) sql += ` AND phone_masked LIKE '%' || $${args.push(text)}`;
    else if (text) sql += ` AND nickname ILIKE '%' || $${args.push(escapeLike(text))} || '%'`;
    sql += ' ORDER BY id ASC LIMIT $2';
    const { rows } = await this.tenantContext.sql().query<CustomerRow>(sql, args);
    return rows.map((r) => ({
      id: r.id,
      phoneMasked: r.phone_masked,
      nickname: r.nickname,
      createdAt: r.created_at,
      lastLoginAt: r.last_login_at,
    }));
  }

  findOne(where: Prisma.CustomerWhereInput, id: string): Promise<CustomerSummary | null> {
    const tenantId = this.tenantContext.tenantId();
    return this.tenantContext.db().customer.findFirst({ where: { AND: [{ tenantId, id }, where] }, select: SUMMARY });
  }

  /** Updates only if `where` (the caller's CASL scope) still matches; null when nothing matched. */
  async updateNickname(
    where: Prisma.CustomerWhereInput,
    id: string,
    nickname: string,
  ): Promise<CustomerSummary | null> {
    const tenantId = this.tenantContext.tenantId();
    const db = this.tenantContext.db();
    const { count } = await db.customer.updateMany({ where: { AND: [{ tenantId, id }, where] }, data: { nickname } });
    if (count === 0) return null;
    return db.customer.findFirst({ where: { tenantId, id }, select: SUMMARY });
  }
}
