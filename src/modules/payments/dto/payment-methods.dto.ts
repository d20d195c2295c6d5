import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';

export const OFFERED_METHODS = ['wechat', 'alipay', 'balance', 'on_arrival', 'sandbox'] as const;
export type OfferedMethod = (typeof OFFERED_METHODS)[number];

/** One way to pay this store offers now. Never carries merchant data. */
export class PaymentMethodView {
  @ApiProperty({ enum: OFFERED_METHODS }) method!: OfferedMethod;
  @ApiPropertyOptional({ description: 'balance only: what the signed-in customer can spend, in fen' })
  balanceFen?: number;
}

export class PaymentMethodsView {
  @ApiProperty({ type: [PaymentMethodView] }) methods!: PaymentMethodView[];
}

export class PaymentSettingsView {
  @ApiProperty({ description: '到付: customers may book and pay the technician on arrival' })
  onArrivalEnabled!: boolean;
  @ApiProperty({ description: 'the sandbox (offered only where the server runs it)' }) sandboxEnabled!: boolean;
  @ApiPropertyOptional({ type: String, nullable: true }) updatedAt!: Date | null;
}

export class UpdatePaymentSettingsDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  onArrivalEnabled?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  sandboxEnabled?: boolean;
}
