import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsLatitude, IsLongitude, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import { ISO_DATE } from '../../scheduling/local-time';

export class AvailabilityQueryDto {
  @ApiProperty({ format: 'uuid', description: 'catalog service' })
  @IsUUID()
  serviceId!: string;

  @ApiProperty({ example: 90, description: 'one of the durations the service offers' })
  @Type(() => Number)
  @IsInt()
  @Min(15)
  @Max(480)
  durationMinutes!: number;

  @ApiProperty({ example: 31.2304, description: "customer's address, WGS-84" })
  @Type(() => Number)
  @IsLatitude()
  lat!: number;

  @ApiProperty({ example: 121.4737 })
  @Type(() => Number)
  @IsLongitude()
  lng!: number;

  @ApiProperty({ example: '2026-11-26', description: 'first local date (store timezone)' })
  @Matches(ISO_DATE, { message: 'from must be YYYY-MM-DD' })
  from!: string;

  @ApiProperty({ example: '2026-12-02', description: 'last local date, inclusive' })
  @Matches(ISO_DATE, { message: 'to must be YYYY-MM-DD' })
  to!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'only this technician (default: any technician)' })
  @IsOptional()
  @IsUUID()
  technicianId?: string;
}

export class AvailabilitySlotView {
  @ApiProperty({ example: '2026-11-26T02:00:00.000Z' }) start!: string;
  @ApiProperty({ example: '2026-11-26T03:30:00.000Z' }) end!: string;
  @ApiProperty({ example: '2026-11-26', description: 'store-local date' }) localDate!: string;
  @ApiProperty({ example: '10:00', description: 'store-local start time' }) localTime!: string;
  @ApiProperty({
    type: [Number],
    description:
      'who is free for this start: positions in the top-level technicianIds (kept short: 7 days × 50 technicians)',
  })
  technicians!: number[];
}

export class AvailabilityView {
  @ApiProperty({ example: 'Asia/Shanghai' }) zone!: string;
  @ApiProperty({ format: 'uuid' }) serviceId!: string;
  @ApiProperty() durationMinutes!: number;
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({ type: String, nullable: true }) technicianId!: string | null;
  @ApiProperty({
    type: [String],
    description: 'every technician offered at least once; slots refer to them by position',
  })
  technicianIds!: string[];
  @ApiProperty({ type: [AvailabilitySlotView] }) slots!: AvailabilitySlotView[];
}
