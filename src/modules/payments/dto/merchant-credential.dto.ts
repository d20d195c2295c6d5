import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsObject, IsOptional } from 'class-validator';
import { CONFIGURABLE_PROVIDERS, type ConfigurableProvider } from '../merchant-credentials.service';

export class ProviderParam {
  @ApiProperty({ enum: CONFIGURABLE_PROVIDERS })
  @IsIn(CONFIGURABLE_PROVIDERS)
  provider!: ConfigurableProvider;
}

export class SetMerchantCredentialDto {
  @ApiProperty({
    description: 'provider-specific configuration (keys, certificates); validated by the provider, stored encrypted',
    type: 'object',
    additionalProperties: true,
  })
  @IsObject()
  config!: Record<string, unknown>;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

/** Never contains secrets. */
export class MerchantCredentialView {
  @ApiProperty() provider!: string;
  @ApiProperty() merchantId!: string;
  @ApiProperty() enabled!: boolean;
  @ApiProperty() updatedAt!: Date;
}
