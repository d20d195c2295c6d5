import { ApiProperty } from '@nestjs/swagger';
import { LatField, LngField } from './technician-fields';

export class LocationDto {
  @LatField()
  lat!: number;

  @LngField()
  lng!: number;
}

/**
 * Positions closer together than the store's minimum interval are accepted but not stored
 * (200, `stored: false`): a phone pinging on a timer is not an error, and it must not turn into
 * a database write per ping.
 */
export class LocationResultDto {
  @ApiProperty({ description: 'false when a position was stored less than the minimum interval ago' })
  stored!: boolean;

  @ApiProperty({ description: 'milliseconds until the next position will be stored', example: 0 })
  retryAfterMs!: number;
}
