import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsDateString, IsInt, IsOptional, IsUUID, Max, Min, ValidateNested } from 'class-validator';

export class QuoteAddonDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() addonId!: string;
  @ApiProperty({ minimum: 1, maximum: 20 }) @IsInt() @Min(1) @Max(20) quantity!: number;
}

export class QuoteRequestDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() serviceId!: string;
  @ApiProperty({ example: 90, description: 'one of the durations the service offers' })
  @IsInt()
  @Min(1)
  @Max(1440)
  durationMinutes!: number;
  @ApiPropertyOptional({ type: [QuoteAddonDto] })
  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => QuoteAddonDto)
  @ArrayMaxSize(10)
  addons?: QuoteAddonDto[];
  @ApiProperty({
    minimum: 0,
    description: 'distance from the store (metres); an estimate here, the booking recomputes it from the address',
  })
  @IsInt()
  @Min(0)
  @Max(500_000)
  distanceMeters!: number;
  @ApiProperty({ format: 'date-time', example: '2026-11-25T22:30:00+08:00' }) @IsDateString() startAt!: string;
}
