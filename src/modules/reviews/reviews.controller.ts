import {
  Body,
  Controller,
  ForbiddenException,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Actor } from '../../platform/auth/actor';
import type { AppAbility } from '../../platform/authz/app-ability';
import { CheckPolicies } from '../../platform/authz/check-policies';
import { CurrentActor, type AppRequest } from '../../platform/http/request-context';
import { TenantScoped } from '../../platform/http/route-metadata';
import {
  CreateReviewDto,
  HideReviewDto,
  ListReviewsQuery,
  ReplyReviewDto,
  ReportReviewDto,
  ReviewDto,
  ReviewPageDto,
  ReviewReportDto,
} from './dto/review.dto';
import { ReviewsService } from './reviews.service';

const abilityOf = (req: AppRequest): AppAbility => {
  if (!req.ability) throw new ForbiddenException();
  return req.ability;
};

/** Reviews for signed-in principals: customers write and report, staff read, reply and moderate. */
@ApiTags('reviews')
@ApiBearerAuth()
@TenantScoped()
@Controller('api/reviews')
export class ReviewsController {
  constructor(private readonly reviews: ReviewsService) {}

  @Post()
  @HttpCode(201)
  @CheckPolicies((a) => a.can('create', 'Review'))
  @ApiOperation({ summary: 'Review a completed order of mine (one per order); the order becomes `reviewed`' })
  @ApiCreatedResponse({ type: ReviewDto })
  @ApiBadRequestResponse({ description: 'stars out of 1–5, unknown tag, text over 500 (named in `fields`)' })
  @ApiNotFoundResponse({ description: 'no such order of mine' })
  @ApiConflictResponse({ description: 'REVIEW_EXISTS, or ORDER_NOT_REVIEWABLE before completion' })
  @ApiForbiddenResponse({ description: 'not a customer' })
  create(@CurrentActor() actor: Actor, @Body() body: CreateReviewDto): Promise<ReviewDto> {
    return this.reviews.create(actor, body);
  }

  @Get()
  @CheckPolicies((a) => a.can('read', 'Review'))
  @ApiOperation({ summary: 'Reviews: a customer’s own; staff all of the store’s, with filters' })
  @ApiOkResponse({ type: ReviewPageDto })
  @ApiBadRequestResponse({ description: 'invalid filter (named in `fields`)' })
  list(@Req() req: AppRequest, @Query() query: ListReviewsQuery): Promise<ReviewPageDto> {
    return this.reviews.list(abilityOf(req), query);
  }

  @Get(':id')
  @CheckPolicies((a) => a.can('read', 'Review'))
  @ApiOperation({ summary: 'One review (my own, or any for staff)' })
  @ApiOkResponse({ type: ReviewDto })
  @ApiNotFoundResponse({ description: 'no such review visible to you' })
  get(@Req() req: AppRequest, @Param('id', new ParseUUIDPipe()) id: string): Promise<ReviewDto> {
    return this.reviews.get(abilityOf(req), id);
  }

  @Post(':id/reply')
  @HttpCode(200)
  @CheckPolicies((a) => a.can('reply', 'Review'))
  @ApiOperation({ summary: 'The store’s reply (owner, manager, staff); replying again replaces it' })
  @ApiOkResponse({ type: ReviewDto })
  @ApiNotFoundResponse({ description: 'no such review in this store' })
  reply(
    @Req() req: AppRequest,
    @CurrentActor() actor: Actor,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ReplyReviewDto,
  ): Promise<ReviewDto> {
    return this.reviews.reply(abilityOf(req), actor, id, body.text);
  }

  @Post(':id/hide')
  @HttpCode(200)
  @CheckPolicies((a) => a.can('hide', 'Review'))
  @ApiOperation({ summary: 'Hide a review (owner, manager): off the public list and out of the rating' })
  @ApiOkResponse({ type: ReviewDto })
  @ApiNotFoundResponse({ description: 'no such review in this store' })
  hide(
    @Req() req: AppRequest,
    @CurrentActor() actor: Actor,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: HideReviewDto,
  ): Promise<ReviewDto> {
    return this.reviews.setHidden(abilityOf(req), actor, id, true, body);
  }

  @Post(':id/unhide')
  @HttpCode(200)
  @CheckPolicies((a) => a.can('hide', 'Review'))
  @ApiOperation({ summary: 'Show a hidden review again (owner, manager)' })
  @ApiOkResponse({ type: ReviewDto })
  @ApiNotFoundResponse({ description: 'no such review in this store' })
  unhide(
    @Req() req: AppRequest,
    @CurrentActor() actor: Actor,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<ReviewDto> {
    return this.reviews.setHidden(abilityOf(req), actor, id, false);
  }

  @Post(':id/reports')
  @HttpCode(201)
  @CheckPolicies((a) => a.can('report', 'Review'))
  @ApiOperation({ summary: 'Report an abusive review (customers; once per review)' })
  @ApiCreatedResponse({ type: ReviewReportDto })
  @ApiBadRequestResponse({ description: 'unknown reason (named in `fields`)' })
  @ApiNotFoundResponse({ description: 'no such visible review' })
  @ApiConflictResponse({ description: 'REPORT_EXISTS' })
  report(
    @CurrentActor() actor: Actor,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ReportReviewDto,
  ): Promise<ReviewReportDto> {
    return this.reviews.report(actor, id, body);
  }
}
