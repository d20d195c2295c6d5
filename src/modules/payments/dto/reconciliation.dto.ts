import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';

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
  @ApiPropertyOptional({ type: String, nullable: true, description: 'the staff member who closed it' })
  resolvedBy!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'what they found or did' })
  resolution!: string | null;
  @ApiProperty() createdAt!: Date;
}

export class MismatchIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id!: string;
}

export class ResolveMismatchDto {
  @ApiProperty({
    description: '处理说明 / what was found or done, e.g. refunded by hand in the merchant console',
    example: '已在商户平台人工退款 / refunded by hand in the merchant console',
  })
  @IsString()
  @Length(1, 500)
  @Matches(/^\S[\s\S]*$/, { message: 'resolution must not start with spaces' })
  resolution!: string;
}

export class ReconciliationView {
  @ApiProperty({ type: ReconciliationCounts }) counts!: ReconciliationCounts;
  @ApiProperty({ type: [MismatchView] }) mismatches!: MismatchView[];
}
