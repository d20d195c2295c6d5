import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsNumber, IsOptional, IsUUID, Max, Min } from 'class-validator';

export class OrderIdParam {
  @ApiProperty({ format: 'uuid' }) @IsUUID() id!: string;
}

export class NearMeQuery {
  @ApiProperty({ example: 31.2304, description: 'the technician’s latitude (WGS-84)' })
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  lat!: number;

  @ApiProperty({ example: 121.4737 })
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-180)
  @Max(180)
  lng!: number;

  @ApiPropertyOptional({ example: 5000, minimum: 100, maximum: 50000, default: 5000, description: 'metres' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(50_000)
  radius: number = 5000;
}

export class GrabAreaView {
  @ApiProperty({ example: 31.23 }) lat!: number;
  @ApiProperty({ example: 121.47 }) lng!: number;
}

/** Before the claim: no customer, phone or exact address. */
export class GrabOfferDto {
  @ApiProperty({ format: 'uuid' }) orderId!: string;
  @ApiProperty({ example: '全身推拿' }) serviceName!: string;
  @ApiProperty({ example: 60 }) durationMinutes!: number;
  @ApiProperty({ format: 'date-time' }) startAt!: string;
  @ApiProperty({ type: GrabAreaView, description: 'district-level point (rounded to ~1 km)' }) area!: GrabAreaView;
  @ApiProperty({ example: 2.3, description: 'to the district point, rounded to 100 m' }) distanceKm!: number;
  @ApiProperty({ example: 19800, description: 'order total, fen' }) priceFen!: number;
  @ApiProperty({ example: 9900, description: 'estimated earning at the technician’s tier rate, fen' })
  earningFen!: number;
}

export class ClaimResultDto {
  @ApiProperty({ format: 'uuid' }) orderId!: string;
  @ApiProperty({ enum: ['assigned'] }) status!: string;
  @ApiProperty({ format: 'uuid' }) technicianId!: string;
  @ApiProperty({ format: 'date-time' }) startAt!: string;
}

export class OpenListingDto {
  @ApiProperty({ format: 'uuid' }) orderId!: string;
  @ApiProperty({ enum: ['open', 'closed'] }) status!: string;
  @ApiPropertyOptional({ example: 12, description: 'technicians the order was pushed to' }) pushedTo?: number;
}
