import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, IsUUID, MaxLength } from 'class-validator';

export class OrderIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id!: string;
}

export class AssignDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  technicianId!: string;

  @ApiProperty({ maxLength: 200, description: 'why this technician (required: it goes into the dispatch log)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  reason!: string;
}

export class AssignResultDto {
  @ApiProperty({ format: 'uuid' }) orderId!: string;
  @ApiProperty() status!: string;
  @ApiProperty({ format: 'uuid' }) technicianId!: string;
}
