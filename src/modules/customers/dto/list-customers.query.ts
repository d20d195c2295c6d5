import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';

export class ListCustomersQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20, description: 'page size' })
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

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 40,
    description: 'nickname contains this text, or (4 digits) the phone number ends with them',
  })
  @IsOptional()
  @IsString()
  @Length(1, 40)
  q?: string;
}
