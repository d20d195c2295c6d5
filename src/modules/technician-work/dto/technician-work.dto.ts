import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsLatitude,
  IsLongitude,
  IsNumber,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

export class ArriveDto {
  @ApiProperty({ example: 31.2304, description: 'where the technician checks in (WGS-84)' })
  @IsNumber()
  @IsLatitude()
  lat!: number;

  @ApiProperty({ example: 121.4737 })
  @IsNumber()
  @IsLongitude()
  lng!: number;
}

export class SosDto {
  @ApiPropertyOptional({ example: 31.2304, description: 'omitted → the last known location' })
  @IsOptional()
  @IsNumber()
  @IsLatitude()
  lat?: number;

  @ApiPropertyOptional({ example: 121.4737 })
  @IsOptional()
  @IsNumber()
  @IsLongitude()
  lng?: number;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class IncomeQuery {
  @ApiPropertyOptional({ enum: ['day', 'week', 'month'], default: 'day' })
  @IsOptional()
  @IsIn(['day', 'week', 'month'])
  period?: 'day' | 'week' | 'month';

  @ApiPropertyOptional({ description: 'ISO time, inclusive (default: 30 days ago)' })
  @IsOptional()
  @IsISO8601()
  from?: string;

  @ApiPropertyOptional({ description: 'ISO time, exclusive (default: now)' })
  @IsOptional()
  @IsISO8601()
  to?: string;
}

export class WithdrawDto {
  @ApiProperty({ example: 10000, description: 'fen, at most the available balance' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  amountFen!: number;
}

export class RejectWithdrawalDto {
  @ApiProperty({ maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  reason!: string;
}

export class ApproveWithdrawalDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  reason?: string;
}

export class PaidWithdrawalDto {
  @ApiProperty({ maxLength: 100, description: 'bank / wallet transfer reference' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  reference!: string;
}

export class TechnicianOrderView {
  @ApiProperty() id!: string;
  @ApiProperty() orderNo!: string;
  @ApiProperty() status!: string;
  @ApiProperty() serviceName!: string;
  @ApiProperty() startAt!: Date;
  @ApiProperty() endAt!: Date;
  @ApiProperty({
    description:
      '到付: the cash to collect from the customer (POST /api/orders/{id}/cash-collected), 0 when none is due',
  })
  cashDueFen!: number;
  @ApiPropertyOptional({ description: 'only while the order is active (assigned … in_service)' })
  address?: {
    contactName: string;
    phoneMasked: string;
    addressText: string;
    houseNumber: string;
    lat: number;
    lng: number;
  };
}

export class SosView {
  @ApiProperty() id!: string;
  @ApiProperty() technicianId!: string;
  @ApiPropertyOptional() technicianName?: string | null;
  @ApiProperty({ nullable: true }) orderId!: string | null;
  @ApiProperty({ nullable: true }) lat!: number | null;
  @ApiProperty({ nullable: true }) lng!: number | null;
  @ApiProperty({ enum: ['reported', 'last_known', 'none'] }) locationSource!: string;
  @ApiProperty({ nullable: true }) note!: string | null;
  @ApiProperty({ enum: ['open', 'acknowledged'] }) status!: string;
  @ApiProperty() createdAt!: Date;
}

export class IncomeBucketView {
  @ApiProperty({ example: '2026-11-25' }) period!: string;
  @ApiProperty() count!: number;
  @ApiProperty() amountFen!: number;
}

export class IncomeView {
  @ApiProperty() period!: string;
  @ApiProperty() timezone!: string;
  @ApiProperty({ type: [IncomeBucketView] }) buckets!: IncomeBucketView[];
  @ApiProperty() totalCount!: number;
  @ApiProperty() totalFen!: number;
  @ApiProperty({ description: 'ledger balance of technician_payable (owed to the technician)' }) balanceFen!: number;
  @ApiProperty({ description: 'balance minus pending/approved withdrawals' }) availableFen!: number;
}

export class WithdrawalView {
  @ApiProperty() id!: string;
  @ApiProperty() technicianId!: string;
  @ApiProperty() amountFen!: number;
  @ApiProperty({ enum: ['pending', 'approved', 'rejected', 'paid'] }) status!: string;
  @ApiProperty({ nullable: true }) reason!: string | null;
  @ApiProperty({ nullable: true }) reference!: string | null;
  @ApiProperty() createdAt!: Date;
}
