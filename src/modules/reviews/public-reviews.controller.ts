import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public, TenantScoped } from '../../platform/http/route-metadata';
import { PageQuery, ReviewTagDto, TechnicianReviewPageDto } from './dto/review.dto';
import { REVIEW_TAGS, REVIEW_TAG_CODES } from './review-tags';
import { ReviewsService } from './reviews.service';

/**
 * The customer site. No sign-in and no CASL check: only visible reviews of approved technicians,
 * through a fixed public view (masked reviewer label; no order, customer or phone).
 */
@ApiTags('customer site')
@Public()
@TenantScoped()
@Controller('api')
export class PublicReviewsController {
  constructor(private readonly reviews: ReviewsService) {}

  @Get('technicians/:id/reviews')
  @ApiOperation({ summary: "A technician's visible reviews, newest first, with the rating" })
  @ApiOkResponse({ type: TechnicianReviewPageDto })
  @ApiBadRequestResponse({ description: 'bad page or pageSize (named in `fields`)' })
  @ApiNotFoundResponse({ description: 'no such approved technician in this store' })
  forTechnician(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: PageQuery,
  ): Promise<TechnicianReviewPageDto> {
    return this.reviews.forTechnician(id, query);
  }

  @Get('review-tags')
  @ApiOperation({ summary: 'The fixed review tags, zh-CN and English' })
  @ApiOkResponse({ type: [ReviewTagDto] })
  tags(): ReviewTagDto[] {
    return REVIEW_TAG_CODES.map((code) => ({ code, ...REVIEW_TAGS[code] }));
  }
}
