import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

const SKILL = /^[a-z][a-z0-9_]{1,31}$/;
/** an uploaded file id, or an absolute https URL */
const IMAGE_REF = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|https:\/\/\S{1,490})$/i;
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

export class CreateCategoryDto {
  @ApiProperty({ example: '中医推拿' }) @IsString() @Length(1, 40) nameZh!: string;
  @ApiPropertyOptional({ example: 'Tuina' }) @IsOptional() @IsString() @Length(1, 60) nameEn?: string;
  @ApiPropertyOptional({ description: 'icon name or URL' }) @IsOptional() @IsString() @Length(1, 500) icon?: string;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @IsInt() @Min(-10000) @Max(10000) sortOrder?: number;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() active?: boolean;
}
export class UpdateCategoryDto extends PartialType(CreateCategoryDto) {}

export class DurationDto {
  @ApiProperty({ minimum: 15, maximum: 480, example: 60 }) @IsInt() @Min(15) @Max(480) minutes!: number;
  @ApiProperty({ minimum: 0, example: 19800, description: 'price in fen' })
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  priceFen!: number;
}

export class CreateServiceDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() categoryId!: string;
  @ApiProperty({ example: '全身推拿' }) @IsString() @Length(1, 60) nameZh!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 100) nameEn?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 4000) description?: string;
  @ApiPropertyOptional({ type: [String], description: 'uploaded image file ids or https URLs (≤ 9)' })
  @IsOptional()
  @ArrayMaxSize(9)
  @Matches(IMAGE_REF, { each: true, message: 'each image must be an uploaded file id or an https URL' })
  images?: string[];
  @ApiPropertyOptional({ type: [String], example: ['tuina'], description: 'skill codes a technician must have' })
  @IsOptional()
  @ArrayMaxSize(10)
  @ArrayUnique()
  @Matches(SKILL, { each: true, message: 'each skill must be a code like tuina or spa_oil' })
  requiredSkills?: string[];
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() active?: boolean;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @IsInt() @Min(-10000) @Max(10000) sortOrder?: number;
  @ApiProperty({ type: [DurationDto], description: 'duration options, each with its price; minutes unique' })
  @ValidateNested({ each: true })
  @Type(() => DurationDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(12)
  @ArrayUnique((d: DurationDto) => d.minutes, { message: 'each duration may appear once' })
  durations!: DurationDto[];
}
/** `durations`, when given, replace the service's options. */
export class UpdateServiceDto extends PartialType(CreateServiceDto) {}

export class CreateAddonDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'omit for a store-wide add-on' })
  @IsOptional()
  @IsUUID()
  serviceId?: string;
  @ApiProperty({ enum: ['extension', 'material'], description: 'extension = 加钟 (minutes per unit); material = 物料' })
  @IsIn(['extension', 'material'])
  kind!: 'extension' | 'material';
  @ApiProperty({ example: '加钟30分钟' }) @IsString() @Length(1, 40) nameZh!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 60) nameEn?: string;
  @ApiPropertyOptional({ minimum: 5, maximum: 240, description: 'required for an extension, absent for a material' })
  @ValidateIf((o: CreateAddonDto) => o.kind === 'extension' || o.minutes !== undefined)
  @IsInt()
  @Min(5)
  @Max(240)
  minutes?: number;
  @ApiProperty({ minimum: 0, description: 'price per unit in fen' })
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  priceFen!: number;
  @ApiPropertyOptional({ minimum: 1, maximum: 20, default: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(20)
  maxQuantity?: number;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() active?: boolean;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @IsInt() @Min(-10000) @Max(10000) sortOrder?: number;
}

export class UpdateAddonDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 40) nameZh?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 60) nameEn?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(5) @Max(240) minutes?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(10_000_000) priceFen?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(20) maxQuantity?: number;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() active?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(-10000) @Max(10000) sortOrder?: number;
}

export class TravelFeeRulesDto {
  @ApiProperty({ minimum: 0, maximum: 200000, example: 3000, description: 'free radius in metres' })
  @IsInt()
  @Min(0)
  @Max(200_000)
  freeRadiusM!: number;
  @ApiProperty({ minimum: 0, example: 200, description: 'fen per started km beyond the free radius' })
  @IsInt()
  @Min(0)
  @Max(100_000)
  pricePerKmFen!: number;
  @ApiPropertyOptional({ example: '22:00', description: 'night window start, store local time (with nightEnd)' })
  @ValidateIf((o: TravelFeeRulesDto) => o.nightEnd !== undefined || o.nightStart !== undefined)
  @Matches(HHMM, { message: 'nightStart must be HH:MM' })
  nightStart?: string;
  @ApiPropertyOptional({ example: '06:00', description: 'night window end (exclusive); may be after midnight' })
  @ValidateIf((o: TravelFeeRulesDto) => o.nightEnd !== undefined || o.nightStart !== undefined)
  @Matches(HHMM, { message: 'nightEnd must be HH:MM' })
  nightEnd?: string;
  @ApiProperty({ minimum: 0, example: 5000 }) @IsInt() @Min(0) @Max(10_000_000) nightSurchargeFen!: number;
  @ApiProperty({ minimum: 0, example: 19800, description: 'served amount below this is topped up' })
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  minimumOrderFen!: number;
}

export class IdParam {
  @ApiProperty({ format: 'uuid' }) @IsUUID() id!: string;
}
