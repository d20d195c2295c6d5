import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

export class CreateBlockDto {
  @ApiProperty({ format: 'uuid', description: 'the technician this customer never wants sent' })
  @IsUUID()
  technicianId!: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  reason?: string;
}

export class BlockTechnicianParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  technicianId!: string;
}

export class BlockView {
  @ApiProperty({ format: 'uuid' }) technicianId!: string;
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
  @ApiProperty() createdAt!: string;
}
