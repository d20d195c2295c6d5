import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { MAX_REVIEW_TAGS, REPORT_REASONS, REVIEW_TAG_CODES, type ReportReason, type ReviewTag } from '../review-tags';
import { PageQuery } from '../../../platform/http/page-query.dto';
export { PageQuery };

const toBool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class CreateReviewDto {
  @ApiProperty({ format: 'uuid', description: 'a completed order of mine' })
  @IsUUID()
  orderId!: string;

  @ApiProperty({ minimum: 1, maximum: 5, description: 'overall satisfaction (满意度)' })
  @IsInt()
  @Min(1)
  @Max(5)
  stars!: number;

  @ApiProperty({ minimum: 1, maximum: 5, description: '技术 skill' })
  @IsInt()
  @Min(1)
  @Max(5)
  skillStars!: number;

  @ApiProperty({ minimum: 1, maximum: 5, description: '态度 attitude' })
  @IsInt()
  @Min(1)
  @Max(5)
  attitudeStars!: number;

  @ApiProperty({ minimum: 1, maximum: 5, description: '守时 punctuality' })
  @IsInt()
  @Min(1)
  @Max(5)
  punctualityStars!: number;

  @ApiPropertyOptional({ enum: REVIEW_TAG_CODES, isArray: true, maxItems: MAX_REVIEW_TAGS })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_REVIEW_TAGS)
  @ArrayUnique()
  @IsIn(REVIEW_TAG_CODES, { each: true })
  tags?: ReviewTag[];

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  text?: string;

  @ApiPropertyOptional({ default: false, description: 'show 匿名用户 instead of my masked nickname' })
  @IsOptional()
  @IsBoolean()
  anonymous?: boolean;
}

export class ReplyReviewDto {
  @ApiProperty({ minLength: 1, maxLength: 500 })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  text!: string;
}

export class HideReviewDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  reason?: string;
}

export class ReportReviewDto {
  @ApiProperty({ enum: REPORT_REASONS })
  @IsIn(REPORT_REASONS)
  reason!: ReportReason;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  details?: string;
}

export class ListReviewsQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  technicianId?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 5 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(5)
  minStars?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 5 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(5)
  maxStars?: number;

  @ApiPropertyOptional({ description: 'only hidden (true) or only visible (false) reviews' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  hidden?: boolean;

  @ApiPropertyOptional({ description: 'only reviews customers reported' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  reported?: boolean;
}

/** What anyone may see of a review: no order, no customer id, a masked reviewer label. */
export class PublicReviewDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: '王**' }) reviewer!: string;
  @ApiProperty() stars!: number;
  @ApiProperty() skillStars!: number;
  @ApiProperty() attitudeStars!: number;
  @ApiProperty() punctualityStars!: number;
  @ApiProperty({ enum: REVIEW_TAG_CODES, isArray: true }) tags!: string[];
  @ApiProperty({ type: String, nullable: true }) text!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'the store’s reply' }) reply!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) repliedAt!: Date | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
}

/** A review as its author or the store sees it. */
export class ReviewDto extends PublicReviewDto {
  @ApiProperty({ format: 'uuid' }) orderId!: string;
  @ApiProperty({ format: 'uuid' }) customerId!: string;
  @ApiProperty({ format: 'uuid' }) technicianId!: string;
  @ApiProperty() anonymous!: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) hiddenAt!: Date | null;
  @ApiProperty({ type: String, nullable: true }) hiddenReason!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'abuse reports (staff only)' }) reportCount!: number | null;
}

export class ReviewPageDto {
  @ApiProperty({ type: [ReviewDto] }) items!: ReviewDto[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class TechnicianReviewPageDto {
  @ApiProperty({ type: [PublicReviewDto] }) items!: PublicReviewDto[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty({ type: Number, nullable: true, example: 4.8 }) ratingAvg!: number | null;
  @ApiProperty() ratingCount!: number;
}

export class ReviewTagDto {
  @ApiProperty({ enum: REVIEW_TAG_CODES }) code!: string;
  @ApiProperty({ example: '手法专业' }) zh!: string;
  @ApiProperty({ example: 'Skilled technique' }) en!: string;
}

export class ReviewReportDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) reviewId!: string;
  @ApiProperty({ enum: REPORT_REASONS }) reason!: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
}
