import { ApiProperty } from '@nestjs/swagger';
import { IsISO8601, IsString, Length, Matches } from 'class-validator';
import { ISO_DATE } from '../local-time';

/** An instant with an explicit offset: a block is a span of real time, not of some clock. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

export class CreateBusyBlockDto {
  @ApiProperty({ example: '2026-12-01T14:00:00+08:00', description: 'instant with a UTC offset' })
  @IsISO8601({ strict: true }, { message: 'start must be an ISO 8601 instant' })
  @Matches(INSTANT, { message: 'start must be an instant with a UTC offset, e.g. 2026-12-01T14:00:00+08:00' })
  start!: string;

  @ApiProperty({ example: '2026-12-01T16:00:00+08:00', description: 'instant with a UTC offset; after start' })
  @IsISO8601({ strict: true }, { message: 'end must be an ISO 8601 instant' })
  @Matches(INSTANT, { message: 'end must be an instant with a UTC offset, e.g. 2026-12-01T16:00:00+08:00' })
  end!: string;

  @ApiProperty({ example: '门店培训 / store training', minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason!: string;
}

export class BusyBlockRangeQuery {
  @ApiProperty({ example: '2026-12-01', description: 'first local date (store timezone)' })
  @Matches(ISO_DATE, { message: 'from must be YYYY-MM-DD' })
  from!: string;

  @ApiProperty({ example: '2026-12-07', description: 'last local date, inclusive (at most 92 days after from)' })
  @Matches(ISO_DATE, { message: 'to must be YYYY-MM-DD' })
  to!: string;
}

export class BusyBlockView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) technicianId!: string;
  @ApiProperty({ example: '2026-12-01T06:00:00.000Z', description: 'UTC ISO instant' }) start!: string;
  @ApiProperty({ example: '2026-12-01T08:00:00.000Z', description: 'UTC ISO instant (exclusive)' }) end!: string;
  @ApiProperty({ example: '门店培训' }) reason!: string;
  @ApiProperty({ example: '2026-11-30T09:12:00.000Z' }) createdAt!: string;
}
