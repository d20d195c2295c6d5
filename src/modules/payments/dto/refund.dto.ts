import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, MaxDate, Min } from 'class-validator';

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

/** 到付 refund: the cash handed back to the customer. */
export class CashHandoverDto {
  @ApiProperty({
    description: '收据号或备注编号 / receipt or reference number of the hand-back',
    example: 'SJ-20261125-07',
  })
  @IsString()
  @Length(1, 64)
  @Matches(/^\S(.*\S)?$/, { message: 'reference must not start or end with spaces' })
  reference!: string;

  @ApiPropertyOptional({ description: 'when the cash was handed back (default: now); not in the future' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  @MaxDate(() => new Date(Date.now() + 60_000), { message: 'handedBackAt must not be in the future' })
  handedBackAt?: Date;
}

export class CashHandoverView {
  @ApiProperty() reference!: string;
  @ApiProperty({ description: 'the staff member who recorded handing it back' }) handedBackBy!: string;
  @ApiProperty() handedBackAt!: Date;
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
  @ApiPropertyOptional({ type: CashHandoverView, nullable: true, description: '到付 refunds, once handed back' })
  cashHandover!: CashHandoverView | null;
  @ApiProperty() createdAt!: Date;
  @ApiProperty() updatedAt!: Date;
}
