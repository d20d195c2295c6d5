import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, Matches, ValidateNested } from 'class-validator';
import { HHMM } from '../opening-hours';

export class TimeRangeDto {
  @ApiProperty({ example: '10:00', pattern: HHMM.source })
  @Matches(HHMM, { message: 'open must be HH:mm' })
  open!: string;

  @ApiProperty({ example: '02:00', pattern: HHMM.source, description: 'earlier than open = past midnight' })
  @Matches(HHMM, { message: 'close must be HH:mm' })
  close!: string;
}

const day = (): PropertyDecorator => {
  const decorators = [
    ApiPropertyOptional({ type: [TimeRangeDto], description: 'empty or missing = closed' }),
    IsOptional(),
    IsArray(),
    ArrayMaxSize(4),
    ValidateNested({ each: true }),
    Type(() => TimeRangeDto),
  ];
  return (target, key) => decorators.forEach((d) => d(target, key));
};

/** Opening windows per weekday in the store's time zone. */
export class OpeningHoursDto {
  @day() mon?: TimeRangeDto[];
  @day() tue?: TimeRangeDto[];
  @day() wed?: TimeRangeDto[];
  @day() thu?: TimeRangeDto[];
  @day() fri?: TimeRangeDto[];
  @day() sat?: TimeRangeDto[];
  @day() sun?: TimeRangeDto[];
}
