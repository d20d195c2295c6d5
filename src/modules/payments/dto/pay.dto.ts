import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';

export const PAY_METHODS = ['wechat', 'alipay', 'balance', 'sandbox'] as const;
export type PayMethod = (typeof PAY_METHODS)[number];
export const PAY_CHANNELS = ['jsapi', 'h5', 'wap'] as const;

export class OrderIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id!: string;
}

export class ExtensionParam extends OrderIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  extensionId!: string;
}

/** How a payment is made, the method aside (also `pay` of a booking: 下单即支付). */
export class PaymentChannelDto {
  @ApiPropertyOptional({ enum: PAY_CHANNELS, description: 'WeChat: jsapi (in WeChat) or h5; Alipay: wap' })
  @IsOptional()
  @IsIn(PAY_CHANNELS)
  channel?: (typeof PAY_CHANNELS)[number];

  @ApiPropertyOptional({ description: 'WeChat JSAPI payer openid' })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  openid?: string;
}

export class PayOrderDto extends PaymentChannelDto {
  @ApiProperty({ enum: PAY_METHODS, description: '支付方式 / payment method (到付 is chosen at booking)' })
  @IsIn(PAY_METHODS)
  method!: PayMethod;
}

export class PaymentView {
  @ApiProperty() id!: string;
  @ApiProperty() orderId!: string;
  @ApiProperty() kind!: string;
  @ApiProperty() provider!: string;
  @ApiProperty() outTradeNo!: string;
  @ApiProperty() amountFen!: number;
  @ApiProperty() currency!: string;
  @ApiProperty({ enum: ['pending', 'succeeded', 'failed', 'closed'] }) status!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) paidAt!: Date | null;
  @ApiProperty() createdAt!: Date;
}

export class PayResultView {
  @ApiProperty({ type: PaymentView }) payment!: PaymentView;
  @ApiProperty({
    description: 'what the browser does next: redirect | jsapi | form | completed | awaiting_collection',
    type: 'object',
    additionalProperties: true,
  })
  next!: Record<string, unknown>;
}
