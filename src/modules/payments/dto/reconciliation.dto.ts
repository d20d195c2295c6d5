import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsOptional } from 'class-validator';

export class ReconciliationQuery {
  @ApiPropertyOptional({ description: 'only what happened since (ISO time)' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  since?: Date;
}

export class ReconciliationCounts {
  @ApiProperty() callbacksReceived!: number;
  @ApiProperty() callbacksApplied!: number;
  @ApiProperty() callbacksReplayed!: number;
  @ApiProperty() callbacksRejected!: number;
  @ApiProperty() queriesMade!: number;
  @ApiProperty() queriesApplied!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } }) paymentsByStatus!: Record<string, number>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } }) refundsByStatus!: Record<string, number>;
}

export class MismatchView {
  @ApiProperty() id!: string;
  @ApiProperty() provider!: string;
  @ApiProperty({ enum: ['callback', 'query'] }) source!: string;
  @ApiProperty({
    enum: [
      'amount',
      'currency',
      'merchant',
      'unknown_trade',
      'paid_but_cancelled',
      'duplicate_payment',
      'status',
      'unknown_refund',
    ],
    description: 'a finding about a refund names refundId / outRefundNo',
  })
  kind!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) paymentId!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) outTradeNo!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) refundId!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) outRefundNo!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) details!: Record<string, unknown>;
  @ApiPropertyOptional({ type: String, nullable: true }) resolvedAt!: Date | null;
  @ApiProperty() createdAt!: Date;
}

export class ReconciliationView {
  @ApiProperty({ type: ReconciliationCounts }) counts!: ReconciliationCounts;
  @ApiProperty({ type: [MismatchView] }) mismatches!: MismatchView[];
}
