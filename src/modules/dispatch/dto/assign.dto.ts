import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsString, IsUUID, MaxLength } from 'class-validator';

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

export const RUN_STATES = ['offering', 'grab', 'pool', 'needs_staff', 'assigned', 'closed'] as const;

export class ListRunsQuery {
  @ApiProperty({ enum: RUN_STATES, example: 'needs_staff', description: 'e.g. needs_staff: orders waiting for a hand' })
  @IsIn(RUN_STATES)
  state!: (typeof RUN_STATES)[number];
}

export class DispatchRunView {
  @ApiProperty({ format: 'uuid' }) orderId!: string;
  @ApiProperty({ enum: RUN_STATES }) state!: string;
  @ApiProperty() mode!: string;
  @ApiProperty({ description: 'current radius step (0-based)' }) stepIndex!: number;
  @ApiProperty({ description: 'offers sent so far' }) round!: number;
  @ApiProperty() updatedAt!: string;
}
