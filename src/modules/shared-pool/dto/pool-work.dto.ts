import { ApiProperty } from '@nestjs/swagger';

export const POOL_ORDER_STATUSES = ['accepted', 'departed', 'arrived', 'in_service', 'completed'] as const;

export class PoolOrderProgressDto {
  @ApiProperty({ format: 'uuid' }) offerId!: string;
  @ApiProperty({ enum: POOL_ORDER_STATUSES, description: 'the giving store’s order, after this step' })
  orderStatus!: string;
}

export class PoolExtensionDto {
  @ApiProperty({ format: 'uuid', description: 'the proposed extension (the giving store’s customer confirms it)' })
  id!: string;
  @ApiProperty({ format: 'uuid' }) offerId!: string;
  @ApiProperty() minutes!: number;
  @ApiProperty() amountFen!: number;
  @ApiProperty({ enum: ['proposed'] }) status!: string;
}
