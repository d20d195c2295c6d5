import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';

export class UpdateBookingSettingsDto {
  @ApiPropertyOptional({ enum: [10, 15, 20, 30, 60], description: 'start times every N minutes' })
  @IsOptional()
  @IsIn([10, 15, 20, 30, 60])
  slotGridMinutes?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 10080, description: 'earliest start = now + this' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10080)
  leadTimeMinutes?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 90, description: 'bookable up to today + N days' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(90)
  maxDaysAhead?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 240, description: 'gap kept between two jobs' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(240)
  bufferMinutes?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 5, example: 1.3, description: 'road km per straight-line km' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(1)
  @Max(5)
  etaRoadFactor?: number;

  @ApiPropertyOptional({ minimum: 3, maximum: 120, example: 25, description: 'average speed, km/h' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(3)
  @Max(120)
  etaSpeedKmh?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 120, example: 10, description: 'fixed minutes per trip' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(120)
  etaOverheadMinutes?: number;
}

export class BookingSettingsView {
  @ApiProperty() slotGridMinutes!: number;
  @ApiProperty() leadTimeMinutes!: number;
  @ApiProperty() maxDaysAhead!: number;
  @ApiProperty() bufferMinutes!: number;
  @ApiProperty() etaRoadFactor!: number;
  @ApiProperty() etaSpeedKmh!: number;
  @ApiProperty() etaOverheadMinutes!: number;
}
