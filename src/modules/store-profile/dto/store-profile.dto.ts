import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { LatLngDto, ServiceAreaDto } from './geo.dto';
import { OpeningHoursDto } from './opening-hours.dto';

/** Fields shared by the public page and the staff view. */
export class StoreProfileFieldsDto {
  @ApiProperty({ type: String, nullable: true, example: '上海市静安区南京西路1788号' })
  address!: string | null;

  @ApiProperty({ type: LatLngDto, nullable: true })
  location!: LatLngDto | null;

  @ApiProperty({ type: String, nullable: true, example: '021****1788' })
  phoneMasked!: string | null;

  @ApiProperty({ type: OpeningHoursDto, description: 'every weekday present; [] = closed' })
  openingHours!: OpeningHoursDto;

  @ApiProperty({ type: String, nullable: true })
  introduction!: string | null;

  @ApiProperty({ type: [String] })
  photoUrls!: string[];

  @ApiProperty({ type: ServiceAreaDto, nullable: true, description: 'null = no restriction' })
  serviceArea!: ServiceAreaDto | null;
}

export class StoreNoticeDto {
  @ApiProperty({ example: '本店暂停营业，暂不接受预约。' })
  'zh-CN'!: string;

  @ApiProperty({ example: 'This store is temporarily closed and is not taking bookings.' })
  en!: string;
}

/** What the store's H5 home page needs, before anyone signs in. */
export class StorePageDto extends StoreProfileFieldsDto {
  @ApiProperty({ example: 'jingan-spa' })
  slug!: string;

  @ApiProperty({ example: '静安悦享上门SPA' })
  name!: string;

  @ApiProperty({ example: '悦享SPA·静安' })
  displayName!: string;

  @ApiProperty({ type: String, nullable: true, example: '/tenant-assets/jingan-spa/logo.svg' })
  logoUrl!: string | null;

  @ApiProperty({ example: '#b0417a' })
  themeColor!: string;

  @ApiProperty({ example: '上海' })
  city!: string;

  @ApiProperty({ example: 'Asia/Shanghai' })
  timezone!: string;

  @ApiProperty({ example: 'zh-CN' })
  locale!: string;

  @ApiProperty({ enum: ['pending', 'active', 'suspended', 'rejected'] })
  status!: string;

  @ApiProperty({ description: 'true when the store is not taking bookings' })
  closed!: boolean;

  @ApiPropertyOptional({ type: StoreNoticeDto, description: 'present when closed' })
  notice?: StoreNoticeDto;
}

/** The staff view: the full phone number is the store's own, not personal data. */
export class StoreProfileDto extends StoreProfileFieldsDto {
  @ApiProperty({ type: String, nullable: true, example: '021-62881788' })
  phone!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  updatedAt!: string | null;
}
