import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsNumber, IsOptional, IsString, Length, Max, Min } from 'class-validator';

export const ADDRESS_KINDS = ['home', 'hotel'] as const;
export type AddressKind = (typeof ADDRESS_KINDS)[number];

export class CreateAddressDto {
  @ApiProperty({ minLength: 1, maxLength: 30, example: '王女士' })
  @IsString()
  @Length(1, 30)
  contactName!: string;

  @ApiProperty({ example: '13812341234', description: 'mainland mobile number; stored encrypted, shown masked' })
  @IsString()
  @Length(11, 20)
  phone!: string;

  @ApiProperty({ example: 31.2304, minimum: -90, maximum: 90 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  lat!: number;

  @ApiProperty({ example: 121.4737, minimum: -180, maximum: 180 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-180)
  @Max(180)
  lng!: number;

  @ApiProperty({ minLength: 1, maxLength: 200, example: '上海市静安区南京西路1266号' })
  @IsString()
  @Length(1, 200)
  addressText!: string;

  @ApiProperty({ minLength: 1, maxLength: 60, example: '恒隆广场2座1801室', description: '门牌号 / room number' })
  @IsString()
  @Length(1, 60)
  houseNumber!: string;

  @ApiProperty({ enum: ADDRESS_KINDS })
  @IsIn(ADDRESS_KINDS)
  kind!: AddressKind;

  @ApiPropertyOptional({ description: 'make this the default address (the first address always is)' })
  @IsOptional()
  @IsBoolean()
  isDefault?: boolean;
}

export class UpdateAddressDto extends PartialType(CreateAddressDto) {}

export class AddressDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty()
  contactName!: string;
  @ApiProperty({ example: '138****1234' })
  phoneMasked!: string;
  @ApiProperty()
  lat!: number;
  @ApiProperty()
  lng!: number;
  @ApiProperty()
  addressText!: string;
  @ApiProperty()
  houseNumber!: string;
  @ApiProperty({ enum: ADDRESS_KINDS })
  kind!: string;
  @ApiProperty()
  isDefault!: boolean;
  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;
}
