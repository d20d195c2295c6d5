import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { DISPATCH_MODES, POOL_PARTICIPATION, type DispatchMode, type PoolParticipation } from '../dispatch-settings';

export class RankingWeightsDto {
  @ApiProperty({ minimum: 0, maximum: 100, example: 40, description: 'weight of a short ETA' })
  @IsInt()
  @Min(0)
  @Max(100)
  eta!: number;

  @ApiProperty({ minimum: 0, maximum: 100, example: 25, description: 'weight of the rating' })
  @IsInt()
  @Min(0)
  @Max(100)
  rating!: number;

  @ApiProperty({ minimum: 0, maximum: 100, example: 15, description: 'weight of the tier' })
  @IsInt()
  @Min(0)
  @Max(100)
  tier!: number;

  @ApiProperty({ minimum: 0, maximum: 100, example: 20, description: 'weight of few assignments in the last 24 h' })
  @IsInt()
  @Min(0)
  @Max(100)
  fairness!: number;
}

export class UpdateDispatchSettingsDto {
  @ApiPropertyOptional({
    enum: DISPATCH_MODES,
    description: 'manual; auto (one offer at a time); grab (all eligible in the radius step see it); auto_then_grab',
  })
  @IsOptional()
  @IsIn(DISPATCH_MODES)
  mode?: DispatchMode;

  @ApiPropertyOptional({ minimum: 1, maximum: 3600, example: 60, description: 'seconds a technician has to answer' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3600)
  offerTimeoutSeconds?: number;

  @ApiPropertyOptional({ type: [Number], example: [3000, 6000, 10000], description: 'increasing radii in metres' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @IsInt({ each: true })
  @Min(100, { each: true })
  @Max(100000, { each: true })
  radiusStepsM?: number[];

  @ApiPropertyOptional({ enum: POOL_PARTICIPATION, description: 'the platform shared pool: give, take, both, none' })
  @IsOptional()
  @IsIn(POOL_PARTICIPATION)
  poolParticipation?: PoolParticipation;

  @ApiPropertyOptional({ type: RankingWeightsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => RankingWeightsDto)
  weights?: RankingWeightsDto;
}

export class DispatchSettingsDto {
  @ApiProperty({ enum: DISPATCH_MODES }) mode!: DispatchMode;
  @ApiProperty() offerTimeoutSeconds!: number;
  @ApiProperty({ type: [Number] }) radiusStepsM!: number[];
  @ApiProperty({ enum: POOL_PARTICIPATION }) poolParticipation!: PoolParticipation;
  @ApiProperty({ type: RankingWeightsDto }) weights!: RankingWeightsDto;
  @ApiProperty({ description: 'technicians who see one auto offer at once (always 1; grab shows all eligible)' })
  offersAtOnce!: number;
}
