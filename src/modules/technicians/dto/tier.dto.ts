import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';

export class CreateTierDto {
  @ApiProperty({ example: 'gold', description: 'stable code: lower-case letters, digits, _' })
  @IsString()
  @Matches(/^[a-z][a-z0-9_]{0,31}$/, { message: 'code must be lower-case letters, digits or _' })
  code!: string;

  @ApiProperty({ example: '金牌', maxLength: 20 })
  @IsString()
  @Length(1, 20)
  name!: string;

  @ApiProperty({ example: 6000, minimum: 0, maximum: 10000, description: 'commission in basis points (6000 = 60%)' })
  @IsInt()
  @Min(0)
  @Max(10000)
  commissionBps!: number;

  @ApiPropertyOptional({ example: 40, default: 0 })
  @IsOptional()
  @IsInt()
  @Min(-1000)
  @Max(1000)
  sort?: number;
}

export class UpdateTierDto {
  @ApiPropertyOptional({ example: '金牌', maxLength: 20 })
  @IsOptional()
  @IsString()
  @Length(1, 20)
  name?: string;

  @ApiPropertyOptional({ example: 6500, minimum: 0, maximum: 10000 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10000)
  commissionBps?: number;

  @ApiPropertyOptional({ example: 40 })
  @IsOptional()
  @IsInt()
  @Min(-1000)
  @Max(1000)
  sort?: number;
}

export class TierDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'gold' })
  code!: string;

  @ApiProperty({ example: '金牌' })
  name!: string;

  @ApiProperty({ example: 6000 })
  commissionBps!: number;

  @ApiProperty({ example: 40 })
  sort!: number;
}
