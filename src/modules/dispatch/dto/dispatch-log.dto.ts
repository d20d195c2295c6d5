import { ApiProperty } from '@nestjs/swagger';

export class LabelDto {
  @ApiProperty() zh!: string;
  @ApiProperty() en!: string;
}

export class DispatchLogLineDto {
  @ApiProperty() seq!: number;
  @ApiProperty() at!: string;
  @ApiProperty() kind!: string;
  @ApiProperty({ type: LabelDto }) kindLabel!: LabelDto;
  @ApiProperty({ nullable: true, type: String, description: 'absent in a technician’s view of others' })
  technicianId!: string | null;
  @ApiProperty({ nullable: true, type: Object, description: 'score breakdown (eta, rating, tier, fairness, total)' })
  score!: unknown;
  @ApiProperty({ nullable: true, type: String }) reasonCode!: string | null;
  @ApiProperty({ nullable: true, type: LabelDto }) reasonLabel!: LabelDto | null;
  @ApiProperty({ type: Object }) details!: unknown;
  @ApiProperty() actorType!: string;
  @ApiProperty({ nullable: true, type: String }) actorId!: string | null;
}

export class DispatchLogDto {
  @ApiProperty({ format: 'uuid' }) orderId!: string;
  @ApiProperty({ type: [DispatchLogLineDto] }) lines!: DispatchLogLineDto[];
}
