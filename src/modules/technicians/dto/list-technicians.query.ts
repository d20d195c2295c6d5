import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { TECHNICIAN_STATUSES, type TechnicianStatus } from '../technician-status';
import { SKILL_CODE } from './technician-fields';

export class ListTechniciansQuery {
  @ApiPropertyOptional({ enum: TECHNICIAN_STATUSES })
  @IsOptional()
  @IsIn(TECHNICIAN_STATUSES)
  status?: TechnicianStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  tierId?: string;

  @ApiPropertyOptional({ example: 'tuina' })
  @IsOptional()
  @Matches(SKILL_CODE)
  skill?: string;

  @ApiPropertyOptional({ description: 'name contains this text, or (4 digits) the phone ends with them' })
  @IsOptional()
  @IsString()
  @Length(1, 40)
  q?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 20;

  @ApiPropertyOptional({ format: 'uuid', description: '`nextCursor` of the previous page' })
  @IsOptional()
  @IsUUID()
  cursor?: string;
}

export class PublicTechniciansQuery {
  @ApiPropertyOptional({ example: 'tuina', description: 'only technicians with this skill' })
  @IsOptional()
  @Matches(SKILL_CODE)
  skill?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'only technicians with every skill this service requires' })
  @IsOptional()
  @IsUUID()
  serviceId?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 50;
}
