import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, Matches, Max, Min, ValidateNested } from 'class-validator';

export class FeeStepDto {
  @ApiProperty({ example: 120, description: 'applies when cancelling at most this many minutes before the start' })
  @IsInt()
  @Min(1)
  @Max(10080)
  withinMinutes!: number;

  @ApiProperty({ example: 20, minimum: 0, maximum: 100 })
  @IsInt()
  @Min(0)
  @Max(100)
  feePercent!: number;
}

export class UpdateOrderSettingsDto {
  @ApiPropertyOptional({ example: 'JA', description: '1–4 capital letters before the order number' })
  @IsOptional()
  @Matches(/^[A-Z]{1,4}$/)
  orderNumberPrefix?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 1440, default: 15 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1440)
  unpaidTimeoutMinutes?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 1440, default: 60 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1440)
  reminderMinutesBefore?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 240, default: 15 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(240)
  overrunGraceMinutes?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 10080, default: 120 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10080)
  freeCancelMinutes?: number;

  @ApiPropertyOptional({ type: [FeeStepDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => FeeStepDto)
  cancellationFees?: FeeStepDto[];

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 100,
    default: 50,
    description: 'share of a late-cancel fee for a departed technician',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  technicianFeeSharePct?: number;
}

export class OrderSettingsDto {
  @ApiProperty({ type: String, nullable: true, description: 'null = first two letters of the store slug' })
  orderNumberPrefix!: string | null;
  @ApiProperty()
  unpaidTimeoutMinutes!: number;
  @ApiProperty()
  reminderMinutesBefore!: number;
  @ApiProperty()
  overrunGraceMinutes!: number;
  @ApiProperty()
  freeCancelMinutes!: number;
  @ApiProperty({ type: [FeeStepDto] })
  cancellationFees!: FeeStepDto[];
  @ApiProperty()
  technicianFeeSharePct!: number;
}
