import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDate, IsInt, IsOptional, IsUUID, Max, Min, ValidateNested } from 'class-validator';

export class QuoteAddonInput {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  addonId!: string;

  @ApiProperty({ minimum: 1, maximum: 20, example: 1 })
  @IsInt()
  @Min(1)
  @Max(20)
  quantity!: number;
}

export class CreateQuoteDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  serviceId!: string;

  @ApiProperty({ example: 90, description: 'one of the service’s duration options' })
  @IsInt()
  @Min(1)
  @Max(1440)
  durationMinutes!: number;

  @ApiPropertyOptional({ type: [QuoteAddonInput] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => QuoteAddonInput)
  addons?: QuoteAddonInput[];

  @ApiProperty({ format: 'uuid', description: 'an address from my address book' })
  @IsUUID()
  addressId!: string;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-26T12:00:00Z' })
  @Type(() => Date)
  @IsDate()
  startAt!: Date;

  @ApiPropertyOptional({ format: 'uuid', description: 'a chosen technician; omit for "any" (dispatch decides)' })
  @IsOptional()
  @IsUUID()
  technicianId?: string;
}

export class QuoteLineDto {
  @ApiProperty({ enum: ['service', 'addon', 'travel', 'night', 'minimum_topup', 'adjustment'] })
  kind!: string;
  @ApiProperty()
  code!: string;
  @ApiProperty()
  label!: string;
  @ApiProperty()
  quantity!: number;
  @ApiProperty({ description: 'fen' })
  unitFen!: number;
  @ApiProperty({ description: 'fen' })
  amountFen!: number;
}

export class QuoteDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ format: 'uuid' })
  serviceId!: string;
  @ApiProperty()
  serviceName!: string;
  @ApiProperty()
  durationMinutes!: number;
  @ApiProperty({ description: 'including extensions bought up front' })
  totalMinutes!: number;
  @ApiProperty({ format: 'uuid' })
  addressId!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  technicianId!: string | null;
  @ApiProperty({ type: String, format: 'date-time' })
  startAt!: Date;
  @ApiProperty({ type: String, format: 'date-time' })
  endAt!: Date;
  @ApiProperty({ description: 'metres the travel fee was computed on' })
  distanceM!: number;
  @ApiProperty({ enum: ['store', 'technician_home', 'technician_last', 'none'] })
  distanceOrigin!: string;
  @ApiProperty({ type: [QuoteLineDto] })
  lines!: QuoteLineDto[];
  @ApiProperty()
  subtotalFen!: number;
  @ApiProperty()
  adjustmentsFen!: number;
  @ApiProperty()
  totalFen!: number;
  @ApiProperty({ type: String, format: 'date-time' })
  expiresAt!: Date;
}
