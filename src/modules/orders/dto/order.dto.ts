import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDate,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { PaymentChannelDto, PayResultView } from '../../payments/dto/pay.dto';
import { ORDER_STATUSES } from '../order-state';
import { QuoteLineDto } from './quote.dto';

export const PAYMENT_METHODS = ['wechat', 'alipay', 'balance', 'on_arrival', 'sandbox'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export class CreateOrderDto {
  @ApiProperty({ format: 'uuid', description: 'a quote of mine that has not expired' })
  @IsUUID()
  quoteId!: string;

  @ApiPropertyOptional({ maxLength: 500, example: '请带一次性床单' })
  @IsOptional()
  @IsString()
  @Length(0, 500)
  notes?: string;

  @ApiProperty({ enum: PAYMENT_METHODS, description: '`on_arrival` (到付) skips the unpaid timeout' })
  @IsIn(PAYMENT_METHODS)
  paymentMethod!: PaymentMethod;

  @ApiPropertyOptional({
    type: PaymentChannelDto,
    description:
      '下单即支付: also start paying with `paymentMethod` (not `on_arrival`); the response’s `checkout` is what ' +
      '`POST /orders/{id}/pay` would return. Balance pays at once and books nothing when it is short (409).',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => PaymentChannelDto)
  pay?: PaymentChannelDto;
}

export class CancelOrderDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: '临时有事' })
  @IsString()
  @Length(1, 200)
  reason!: string;
}

export class TransitionDto {
  @ApiProperty({ enum: ['dispatch', 'assign', 'decline', 'accept', 'depart', 'arrive', 'start_service', 'complete'] })
  @IsIn(['dispatch', 'assign', 'decline', 'accept', 'depart', 'arrive', 'start_service', 'complete'])
  event!: 'dispatch' | 'assign' | 'decline' | 'accept' | 'depart' | 'arrive' | 'start_service' | 'complete';

  @ApiPropertyOptional({ format: 'uuid', description: 'required for `assign`' })
  @IsOptional()
  @IsUUID()
  technicianId?: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  reason?: string;
}

export class ExtendOrderDto {
  @ApiProperty({ format: 'uuid', description: 'an extension (加钟) add-on offered with the order’s service' })
  @IsUUID()
  addonId!: string;

  @ApiProperty({ minimum: 1, maximum: 20, example: 1 })
  @IsInt()
  @Min(1)
  @Max(20)
  quantity!: number;
}

export class ListOrdersQuery {
  @ApiPropertyOptional({ enum: ORDER_STATUSES })
  @IsOptional()
  @IsIn(ORDER_STATUSES)
  status?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  technicianId?: string;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'start at or after' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  from?: Date;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'start before' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  to?: Date;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 20;
}

export class OrderAddressDto {
  @ApiProperty()
  contactName!: string;
  @ApiProperty({ example: '138****1234' })
  phoneMasked!: string;
  @ApiProperty()
  addressText!: string;
  @ApiProperty()
  houseNumber!: string;
  @ApiProperty({ enum: ['home', 'hotel'] })
  kind!: string;
  @ApiProperty()
  lat!: number;
  @ApiProperty()
  lng!: number;
}

export class OrderEventDto {
  @ApiProperty()
  event!: string;
  @ApiProperty()
  fromStatus!: string;
  @ApiProperty()
  toStatus!: string;
  @ApiProperty()
  actorType!: string;
  @ApiProperty({ type: String, nullable: true })
  reason!: string | null;
  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;
}

export class OrderDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ example: 'JA20261125-0042' })
  orderNo!: string;
  @ApiProperty({ enum: ORDER_STATUSES })
  status!: string;
  @ApiProperty({ format: 'uuid' })
  customerId!: string;
  @ApiProperty({ enum: PAYMENT_METHODS })
  paymentMethod!: string;
  @ApiProperty({ format: 'uuid' })
  serviceId!: string;
  @ApiProperty()
  serviceName!: string;
  @ApiProperty()
  durationMinutes!: number;
  @ApiProperty()
  totalMinutes!: number;
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  technicianId!: string | null;
  @ApiProperty({ type: String, format: 'date-time' })
  startAt!: Date;
  @ApiProperty({ type: String, format: 'date-time' })
  endAt!: Date;
  @ApiProperty({ type: [QuoteLineDto] })
  lines!: QuoteLineDto[];
  @ApiProperty()
  totalFen!: number;
  @ApiProperty()
  paidFen!: number;
  @ApiProperty()
  refundedFen!: number;
  @ApiProperty({ type: String, nullable: true })
  notes!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  paymentDueAt!: Date | null;
  @ApiPropertyOptional({ type: OrderAddressDto, description: 'on the detail view only' })
  address?: OrderAddressDto;
  @ApiPropertyOptional({ type: [OrderEventDto], description: 'on the detail view only' })
  events?: OrderEventDto[];
  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;
}

export class RefundDueDto {
  @ApiProperty({ description: 'fen owed back to the customer' })
  amountFen!: number;
  @ApiProperty()
  feeFen!: number;
  @ApiProperty()
  technicianShareFen!: number;
  @ApiProperty({ enum: ['pending', 'awaiting_approval'] })
  status!: string;
}

export class CancelResultDto {
  @ApiProperty({ type: OrderDto })
  order!: OrderDto;
  @ApiProperty({ type: RefundDueDto, nullable: true })
  refund!: RefundDueDto | null;
}

export class OrderExtensionDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty()
  minutes!: number;
  @ApiProperty({ description: 'supplementary charge in fen, collected by the payments module' })
  amountFen!: number;
  @ApiProperty({ enum: ['pending_payment', 'paid', 'cancelled'] })
  status!: string;
  @ApiProperty({ type: OrderDto })
  order!: OrderDto;
}

/** A booking's answer: the order, and with `pay` what the browser does next to pay it. */
export class BookedOrderDto extends OrderDto {
  @ApiPropertyOptional({ type: PayResultView, description: 'present when the request asked to `pay`' })
  checkout?: PayResultView;
}
