import { Injectable } from '@nestjs/common';
import type { Prisma, Review, ReviewReport } from '../../generated/prisma/client';
import { TenantContext } from '../../platform/database/tenant-context';
import type { WhereInput } from '../../platform/authz/casl-prisma';

export type NewReview = Omit<Prisma.ReviewUncheckedCreateInput, 'tenantId' | 'id' | 'createdAt' | 'updatedAt'>;

/** The only file of the reviews module touching Prisma (reviews, reports, technician ratings). */
@Injectable()
export class ReviewsRepository {
  constructor(private readonly tenantContext: TenantContext) {}

  private get db() {
    return this.tenantContext.db();
  }

  private get tenantId(): string {
    return this.tenantContext.tenantId();
  }

  insert(data: NewReview): Promise<Review> {
    return this.db.review.create({ data: { ...data, tenantId: this.tenantId } });
  }

  findByOrder(orderId: string): Promise<Review | null> {
    return this.db.review.findUnique({ where: { tenantId_orderId: { tenantId: this.tenantId, orderId } } });
  }

  findOne(where: WhereInput<'Review'>, id: string): Promise<Review | null> {
    return this.db.review.findFirst({ where: { AND: [where, { id }] } });
  }

  page(where: WhereInput<'Review'>, skip: number, take: number): Promise<Review[]> {
    return this.db.review.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], skip, take });
  }

  count(where: WhereInput<'Review'>): Promise<number> {
    return this.db.review.count({ where });
  }

  update(id: string, data: Prisma.ReviewUncheckedUpdateInput): Promise<Review> {
    return this.db.review.update({ where: { tenantId_id: { tenantId: this.tenantId, id } }, data });
  }

  customerNickname(id: string): Promise<{ nickname: string | null } | null> {
    return this.db.customer.findUnique({
      where: { tenantId_id: { tenantId: this.tenantId, id } },
      select: { nickname: true },
    });
  }

  /** An approved technician's public rating; null when there is none such in this store. */
  approvedTechnician(id: string): Promise<{ ratingAvg: Prisma.Decimal | null; ratingCount: number } | null> {
    return this.db.technician.findFirst({
      where: { id, status: 'approved' },
      select: { ratingAvg: true, ratingCount: true },
    });
  }

  insertReport(data: Omit<Prisma.ReviewReportUncheckedCreateInput, 'tenantId'>): Promise<ReviewReport> {
    return this.db.reviewReport.create({ data: { ...data, tenantId: this.tenantId } });
  }

  async reportCounts(reviewIds: string[]): Promise<Map<string, number>> {
    if (reviewIds.length === 0) return new Map();
    const rows = await this.db.reviewReport.groupBy({
      by: ['reviewId'],
      where: { reviewId: { in: reviewIds } },
      _count: { _all: true },
    });
    return new Map(rows.map((r) => [r.reviewId, r._count._all]));
  }

  async reportedReviewIds(): Promise<string[]> {
    const rows = await this.db.reviewReport.findMany({ distinct: ['reviewId'], select: { reviewId: true } });
    return rows.map((r) => r.reviewId);
  }

  /**
   * Recomputes a technician's rating from all visible reviews (never incrementally, so it cannot
   * drift). The row lock comes first, in its own statement: a concurrent review of the same
   * technician waits, and the following statement's fresh snapshot then includes its review.
   * NO KEY UPDATE (what the UPDATE takes anyway) because every review insert holds KEY SHARE on
   * its technician through the foreign key, and FOR UPDATE would deadlock against that.
   */
  async recomputeRating(technicianId: string): Promise<{ ratingAvg: number | null; ratingCount: number }> {
    await this.db.$queryRaw`
      SELECT id FROM technicians WHERE tenant_id = ${this.tenantId}::uuid AND id = ${technicianId}::uuid FOR NO KEY UPDATE`;
    const rows = await this.db.$queryRaw<Array<{ rating_avg: string | null; rating_count: number }>>`
      UPDATE technicians t
         SET rating_avg = s.avg, rating_count = s.n
        FROM (SELECT round(avg(stars)::numeric, 2) AS avg, count(*)::int AS n
                FROM reviews
               WHERE tenant_id = ${this.tenantId}::uuid AND technician_id = ${technicianId}::uuid
                 AND hidden_at IS NULL) s
       WHERE t.tenant_id = ${this.tenantId}::uuid AND t.id = ${technicianId}::uuid
      RETURNING t.rating_avg::text AS rating_avg, t.rating_count`;
    const r = rows[0];
    return { ratingAvg: r?.rating_avg != null ? Number(r.rating_avg) : null, ratingCount: r?.rating_count ?? 0 };
  }
}
