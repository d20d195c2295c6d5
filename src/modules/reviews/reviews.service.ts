import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { Prisma, type Review } from '../../generated/prisma/client';
import type { Actor } from '../../platform/auth/actor';
import type { AppAbility } from '../../platform/authz/app-ability';
import { accessibleBy, type WhereInput } from '../../platform/authz/casl-prisma';
import { orderActorOf } from '../orders/order-actor';
import { OrderTransitions } from '../orders/order-transitions.service';
import type {
  CreateReviewDto,
  HideReviewDto,
  ListReviewsQuery,
  PageQuery,
  PublicReviewDto,
  ReportReviewDto,
  ReviewDto,
  ReviewPageDto,
  ReviewReportDto,
  TechnicianReviewPageDto,
} from './dto/review.dto';
import { reviewerLabel } from './reviewer-label';
import { ReviewsRepository } from './reviews.repository';

const reviewNotFound = () =>
  new NotFoundException({ code: 'REVIEW_NOT_FOUND', message: '评价不存在 / review not found' });
const orderNotFound = () => new NotFoundException({ code: 'ORDER_NOT_FOUND', message: '订单不存在 / order not found' });
const isUniqueViolation = (e: unknown) => e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002';

/**
 * Reviews (评价): one per completed order by its customer; the order moves to `reviewed` and the
 * technician's rating is recomputed in the same transaction. Staff reply and hide; customers report.
 */
@Injectable()
export class ReviewsService {
  constructor(
    private readonly repo: ReviewsRepository,
    private readonly transitions: OrderTransitions,
  ) {}

  async create(actor: Actor, body: CreateReviewDto): Promise<ReviewDto> {
    // The order row lock serialises two reviews of one order: the second sees `reviewed`.
    const order = await this.transitions.lock(body.orderId);
    if (!order || order.customerId !== actor.id) throw orderNotFound();
    if (await this.repo.findByOrder(order.id)) {
      throw new ConflictException({ code: 'REVIEW_EXISTS', message: '该订单已评价 / this order has been reviewed' });
    }
    if (order.status !== 'completed' || !order.technicianId) {
      throw new ConflictException({
        code: 'ORDER_NOT_REVIEWABLE',
        message: '服务完成后才能评价 / an order can be reviewed once the service is completed',
        status: order.status,
      });
    }
    const anonymous = body.anonymous ?? false;
    const customer = await this.repo.customerNickname(actor.id);
    let review: Review;
    try {
      review = await this.repo.insert({
        orderId: order.id,
        customerId: actor.id,
        technicianId: order.technicianId,
        stars: body.stars,
        skillStars: body.skillStars,
        attitudeStars: body.attitudeStars,
        punctualityStars: body.punctualityStars,
        tags: body.tags ?? [],
        text: body.text?.trim() || null,
        anonymous,
        reviewerLabel: reviewerLabel(customer?.nickname, anonymous),
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw new ConflictException({ code: 'REVIEW_EXISTS', message: 'already reviewed' });
      throw e;
    }
    await this.transitions.apply(order.id, 'review', orderActorOf(actor), null, {
      locked: order,
      details: { reviewId: review.id, stars: review.stars },
    });
    await this.repo.recomputeRating(order.technicianId);
    return this.view(review, null);
  }

  async list(ability: AppAbility, q: ListReviewsQuery): Promise<ReviewPageDto> {
    const filters: WhereInput<'Review'>[] = [accessibleBy(ability).ofType('Review')];
    if (q.technicianId) filters.push({ technicianId: q.technicianId });
    if (q.minStars !== undefined) filters.push({ stars: { gte: q.minStars } });
    if (q.maxStars !== undefined) filters.push({ stars: { lte: q.maxStars } });
    if (q.hidden !== undefined) filters.push({ hiddenAt: q.hidden ? { not: null } : null });
    if (q.reported !== undefined) {
      const ids = await this.repo.reportedReviewIds();
      filters.push(q.reported ? { id: { in: ids } } : { id: { notIn: ids } });
    }
    const where = { AND: filters };
    const [rows, total] = await Promise.all([
      this.repo.page(where, (q.page - 1) * q.pageSize, q.pageSize),
      this.repo.count(where),
    ]);
    const counts = ability.can('read', 'ReviewReport') ? await this.repo.reportCounts(rows.map((r) => r.id)) : null;
    return {
      items: rows.map((r) => this.view(r, counts ? (counts.get(r.id) ?? 0) : null)),
      total,
      page: q.page,
      pageSize: q.pageSize,
    };
  }

  async get(ability: AppAbility, id: string): Promise<ReviewDto> {
    const row = await this.repo.findOne(accessibleBy(ability).ofType('Review'), id);
    if (!row) throw reviewNotFound();
    const counts = ability.can('read', 'ReviewReport') ? await this.repo.reportCounts([row.id]) : null;
    return this.view(row, counts ? (counts.get(row.id) ?? 0) : null);
  }

  async reply(ability: AppAbility, actor: Actor, id: string, text: string): Promise<ReviewDto> {
    await this.visible(ability, 'reply', id);
    const row = await this.repo.update(id, { reply: text.trim(), repliedBy: actor.id, repliedAt: new Date() });
    return this.view(row, null);
  }

  /** Hidden reviews leave the public list and the rating (recomputed in the same transaction). */
  async setHidden(ability: AppAbility, actor: Actor, id: string, hidden: boolean, body: HideReviewDto = {}) {
    const review = await this.visible(ability, 'hide', id);
    const row = await this.repo.update(
      id,
      hidden
        ? { hiddenAt: review.hiddenAt ?? new Date(), hiddenBy: actor.id, hiddenReason: body.reason ?? null }
        : { hiddenAt: null, hiddenBy: null, hiddenReason: null },
    );
    await this.repo.recomputeRating(row.technicianId);
    return this.view(row, null);
  }

  /** A customer reports a review they can see (public ones, or their own). Once per customer. */
  async report(actor: Actor, id: string, body: ReportReviewDto): Promise<ReviewReportDto> {
    const review = await this.repo.findOne({ OR: [{ hiddenAt: null }, { customerId: actor.id }] }, id);
    if (!review) throw reviewNotFound();
    try {
      const r = await this.repo.insertReport({
        reviewId: id,
        customerId: actor.id,
        reason: body.reason,
        details: body.details?.trim() || null,
      });
      return { id: r.id, reviewId: r.reviewId, reason: r.reason, createdAt: r.createdAt };
    } catch (e) {
      if (isUniqueViolation(e)) {
        throw new ConflictException({
          code: 'REPORT_EXISTS',
          message: '您已举报过该评价 / you already reported this review',
        });
      }
      throw e;
    }
  }

  async forTechnician(technicianId: string, q: PageQuery): Promise<TechnicianReviewPageDto> {
    const tech = await this.repo.approvedTechnician(technicianId);
    if (!tech)
      throw new NotFoundException({ code: 'TECHNICIAN_NOT_FOUND', message: '技师不存在 / technician not found' });
    const where: WhereInput<'Review'> = { technicianId, hiddenAt: null };
    const [rows, total] = await Promise.all([
      this.repo.page(where, (q.page - 1) * q.pageSize, q.pageSize),
      this.repo.count(where),
    ]);
    return {
      items: rows.map(publicView),
      total,
      page: q.page,
      pageSize: q.pageSize,
      ratingAvg: tech.ratingAvg === null ? null : Number(tech.ratingAvg),
      ratingCount: tech.ratingCount,
    };
  }

  private async visible(ability: AppAbility, action: 'reply' | 'hide', id: string): Promise<Review> {
    const row = await this.repo.findOne(accessibleBy(ability, action).ofType('Review'), id);
    if (!row) throw reviewNotFound();
    return row;
  }

  private view(r: Review, reportCount: number | null): ReviewDto {
    return {
      ...publicView(r),
      orderId: r.orderId,
      customerId: r.customerId,
      technicianId: r.technicianId,
      anonymous: r.anonymous,
      hiddenAt: r.hiddenAt,
      hiddenReason: r.hiddenReason,
      reportCount,
    };
  }
}

function publicView(r: Review): PublicReviewDto {
  return {
    id: r.id,
    reviewer: r.reviewerLabel,
    stars: r.stars,
    skillStars: r.skillStars,
    attitudeStars: r.attitudeStars,
    punctualityStars: r.punctualityStars,
    tags: r.tags,
    text: r.text,
    reply: r.reply,
    repliedAt: r.repliedAt,
    createdAt: r.createdAt,
  };
}
