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

@Injectable()
export class CustomersRepository {
  constructor(private readonly tenantContext: TenantContext) {}

  /**
   * Keyset pagination in primary-key order: `(tenant_id, id)` is the PK, so a page is an index
   * range scan with no sort, and the cursor is simply the last id. (Newest-first with Prisma's
   * `cursor` option would drop the LIMIT and paginate in memory in Prisma 7, and a hand-made
   * `created_at` keyset loses the microseconds JavaScript dates cannot hold.)
   *
   * With no `q` and no cursor, for a store manager (whose CASL rule adds no condition) this is
   * exactly what runs (captured from Prisma's query log) — the `tenant-read` benchmark scenario, mirrored by the bare baseline:
   *
   *   BEGIN;
   *   SELECT set_config('app.tenant_id', $1, true);
   *   SELECT "public"."customers"."tenant_id", "public"."customers"."id",
   *          "public"."customers"."phone_masked", "public"."customers"."nickname",
   *          "public"."customers"."created_at", "public"."customers"."last_login_at"
   *     FROM "public"."customers"
   *    WHERE "public"."customers"."tenant_id" = $1
   *    ORDER BY "public"."customers"."id" ASC
   *    LIMIT $2 OFFSET $3;             -- $1 = tenant id, $2 = limit + 1 (21), $3 = 0
   *   COMMIT;
   *
   * With a cursor the WHERE gains `AND "public"."customers"."id" > $2`. RLS adds
   * `tenant_id = (SELECT current_tenant_id())` on top of the explicit tenant filter.
   */
  list(where: Prisma.CustomerWhereInput, take: number, afterId?: string): Promise<CustomerSummary[]> {
    const tenantId = this.tenantContext.tenantId();
    const after: Prisma.CustomerWhereInput[] = afterId ? [{ id: { gt: afterId } }] : [];
    return this.tenantContext.db().customer.findMany({
      where: { AND: [{ tenantId }, ...after, where] },
      select: SUMMARY,
      orderBy: { id: 'asc' },
      take,
    });
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
