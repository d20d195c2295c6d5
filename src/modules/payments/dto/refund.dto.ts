import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsString, IsUUID, Length, Max, Min } from 'class-validator';

export class RefundIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id!: string;
}

export class CreateRefundDto {
  @ApiProperty({ description: '退款金额（分）/ amount to refund in fen, at most what is refundable' })
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  amountFen!: number;

  @ApiProperty({ description: '退款原因 / reason' })
  @IsString()
  @Length(1, 200)
  reason!: string;
}

export class RefundView {
  @ApiProperty() id!: string;
  @ApiProperty() orderId!: string;
  @ApiProperty() paymentId!: string;
  @ApiProperty() amountFen!: number;
  @ApiProperty() reason!: string;
  @ApiProperty({ enum: ['requested', 'approved', 'processing', 'succeeded', 'rejected', 'failed'] }) status!: string;
  @ApiProperty() withinPolicy!: boolean;
  @ApiProperty() requestedByType!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) approvedBy!: string | null;
  @ApiProperty() createdAt!: Date;
  @ApiProperty() updatedAt!: Date;
}
