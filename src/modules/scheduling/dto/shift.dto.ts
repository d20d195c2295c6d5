import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { HHMM, ISO_DATE } from '../local-time';

export class TechnicianIdParam {
  @ApiProperty({ format: 'uuid' }) @IsUUID() technicianId!: string;
}

export class IdParam {
  @ApiProperty({ format: 'uuid' }) @IsUUID() id!: string;
}

export class CreateShiftTemplateDto {
  @ApiProperty({ minimum: 1, maximum: 7, description: 'ISO weekday: 1 = Monday … 7 = Sunday', example: 1 })
  @IsInt()
  @Min(1)
  @Max(7)
  weekday!: number;

  @ApiProperty({ example: '10:00', description: 'local time in the store zone' })
  @Matches(HHMM, { message: 'startTime must be HH:mm' })
  startTime!: string;

  @ApiProperty({ example: '22:00', description: 'local time; at or before startTime = the next day' })
  @Matches(HHMM, { message: 'endTime must be HH:mm' })
  endTime!: string;
}

export class UpdateShiftTemplateDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 7 }) @IsOptional() @IsInt() @Min(1) @Max(7) weekday?: number;
  @ApiPropertyOptional({ example: '10:00' })
  @IsOptional()
  @Matches(HHMM, { message: 'startTime must be HH:mm' })
  startTime?: string;
  @ApiPropertyOptional({ example: '22:00' })
  @IsOptional()
  @Matches(HHMM, { message: 'endTime must be HH:mm' })
  endTime?: string;
}

export class CreateShiftOverrideDto {
  @ApiProperty({ example: '2026-12-01', description: 'local date in the store zone' })
  @Matches(ISO_DATE, { message: 'date must be YYYY-MM-DD' })
  date!: string;

  @ApiProperty({
    enum: ['work', 'off', 'leave'],
    description: 'work: replaces the template that day (times required); off: no work; leave: whole day, or a span',
  })
  @IsIn(['work', 'off', 'leave'])
  kind!: 'work' | 'off' | 'leave';

  @ApiPropertyOptional({ example: '12:00' })
  @IsOptional()
  @Matches(HHMM, { message: 'startTime must be HH:mm' })
  startTime?: string;

  @ApiPropertyOptional({ example: '14:00' })
  @IsOptional()
  @Matches(HHMM, { message: 'endTime must be HH:mm' })
  endTime?: string;

  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @IsString() @Length(1, 200) note?: string;
}

export class OverrideRangeQuery {
  @ApiProperty({ example: '2026-12-01' }) @Matches(ISO_DATE, { message: 'from must be YYYY-MM-DD' }) from!: string;
  @ApiProperty({ example: '2026-12-31' }) @Matches(ISO_DATE, { message: 'to must be YYYY-MM-DD' }) to!: string;
}

export class WeekQuery {
  @ApiPropertyOptional({ example: '2026-11-30', description: 'first local date of the week (default: this Monday)' })
  @IsOptional()
  @Matches(ISO_DATE, { message: 'start must be YYYY-MM-DD' })
  start?: string;
}

export class ShiftTemplateView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) technicianId!: string;
  @ApiProperty() weekday!: number;
  @ApiProperty({ example: '10:00' }) startTime!: string;
  @ApiProperty({ example: '22:00' }) endTime!: string;
}

export class ShiftOverrideView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) technicianId!: string;
  @ApiProperty({ example: '2026-12-01' }) date!: string;
  @ApiProperty({ enum: ['work', 'off', 'leave'] }) kind!: string;
  @ApiProperty({ nullable: true, type: String }) startTime!: string | null;
  @ApiProperty({ nullable: true, type: String }) endTime!: string | null;
  @ApiProperty({ nullable: true, type: String }) note!: string | null;
}

export class WeekShiftView {
  @ApiProperty({ description: 'UTC ISO instant' }) start!: string;
  @ApiProperty({ description: 'UTC ISO instant' }) end!: string;
  @ApiProperty({ example: '2026-12-01', description: 'local date the shift starts on' }) localDate!: string;
  @ApiProperty({ example: '10:00' }) localStart!: string;
  @ApiProperty({ example: '22:00' }) localEnd!: string;
}

export class WeekBusyView {
  @ApiProperty() start!: string;
  @ApiProperty() end!: string;
  @ApiProperty({ enum: ['booking', 'hold', 'block'] }) kind!: string;
}

export class WeekView {
  @ApiProperty({ format: 'uuid' }) technicianId!: string;
  @ApiProperty({ example: 'Asia/Shanghai' }) zone!: string;
  @ApiProperty({ example: '2026-11-30' }) start!: string;
  @ApiProperty({ example: '2026-12-06' }) end!: string;
  @ApiProperty({ type: [WeekShiftView] }) shifts!: WeekShiftView[];
  @ApiProperty({ type: [WeekBusyView] }) busy!: WeekBusyView[];
}
