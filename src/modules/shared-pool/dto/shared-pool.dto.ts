import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { GrabAreaView } from '../../grab/dto/grab.dto';

export const POOL_ROLES = ['none', 'giver', 'taker', 'both'] as const;

export class OfferIdParam {
  @ApiProperty({ format: 'uuid' }) @IsUUID() id!: string;
}

export class PoolSettingsView {
  @ApiProperty() sharedPoolEnabled!: boolean;
  @ApiProperty({ example: 8000, description: 'share of the price the fulfilling store earns, basis points' })
  poolTakerShareBps!: number;
  @ApiProperty({ format: 'date-time' }) updatedAt!: Date;
}

export class UpdatePoolSettingsDto {
  @ApiPropertyOptional() @IsOptional() @IsBoolean() sharedPoolEnabled?: boolean;
  @ApiPropertyOptional({ minimum: 0, maximum: 10000 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000)
  poolTakerShareBps?: number;
}

export class ParticipationDto {
  @ApiProperty({ enum: POOL_ROLES, description: 'giver: may send orders out; taker: may take others’ orders' })
  role!: (typeof POOL_ROLES)[number];
}

export class PublishResultDto {
  @ApiProperty({ format: 'uuid' }) offerId!: string;
  @ApiProperty({ enum: ['open', 'taken'] }) status!: string;
  @ApiProperty({ description: 'what the fulfilling store will earn, fen' }) takerShareFen!: number;
}

/** Before the claim: no store, customer, phone or exact address. */
export class PoolOfferDto {
  @ApiProperty({ format: 'uuid' }) offerId!: string;
  @ApiProperty() serviceName!: string;
  @ApiProperty() durationMinutes!: number;
  @ApiProperty({ format: 'date-time' }) startAt!: string;
  @ApiProperty({ type: GrabAreaView }) area!: GrabAreaView;
  @ApiProperty() distanceKm!: number;
  @ApiProperty() priceFen!: number;
  @ApiProperty({ description: 'the fulfilling store’s share, fen' }) earningFen!: number;
}

export class PoolClaimDto {
  @ApiProperty({ format: 'uuid' }) offerId!: string;
  @ApiProperty({ enum: ['taken'] }) status!: string;
  @ApiProperty({ format: 'date-time' }) startAt!: string;
  @ApiProperty() earningFen!: number;
}

export class PoolContactDto {
  @ApiProperty({ format: 'uuid' }) offerId!: string;
  @ApiProperty() orderStatus!: string;
  @ApiProperty() addressText!: string;
  @ApiProperty() houseNumber!: string;
  @ApiProperty({ type: GrabAreaView }) location!: GrabAreaView;
  @ApiProperty({ example: '138****1234' }) phoneMasked!: string;
}

export class HeldOfferDto {
  @ApiProperty({ format: 'uuid' }) offerId!: string;
  @ApiProperty() serviceName!: string;
  @ApiProperty() durationMinutes!: number;
  @ApiProperty({ format: 'date-time' }) startAt!: string;
  @ApiProperty() earningFen!: number;
  @ApiProperty() orderStatus!: string;
}
