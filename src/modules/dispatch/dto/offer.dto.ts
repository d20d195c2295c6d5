import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

export class OfferIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id!: string;
}

export class DeclineOfferDto {
  @ApiPropertyOptional({ maxLength: 200, description: 'why (optional)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  reason?: string;
}

export class ListOffersQuery {
  @ApiPropertyOptional({ enum: ['offered', 'accepted', 'declined', 'expired', 'withdrawn'] })
  @IsOptional()
  @IsIn(['offered', 'accepted', 'declined', 'expired', 'withdrawn'])
  status?: string;
}

export class OfferView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) orderId!: string;
  @ApiProperty({ enum: ['offered', 'accepted', 'declined', 'expired', 'withdrawn'] }) status!: string;
  @ApiProperty() round!: number;
  @ApiProperty() radiusM!: number;
  @ApiProperty() offeredAt!: string;
  @ApiProperty() expiresAt!: string;
  @ApiProperty({ nullable: true, type: String }) respondedAt!: string | null;
}
