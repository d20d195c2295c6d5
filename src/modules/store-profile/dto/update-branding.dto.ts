import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches, MaxLength, ValidateIf } from 'class-validator';

export class UpdateBrandingDto {
  @ApiPropertyOptional({ example: '静安悦享上门SPA', maxLength: 60 })
  @IsOptional()
  @IsString()
  @Length(1, 60)
  name?: string;

  @ApiPropertyOptional({ example: '悦享SPA·静安', maxLength: 60 })
  @IsOptional()
  @IsString()
  @Length(1, 60)
  displayName?: string;

  @ApiPropertyOptional({ example: '#b0417a', pattern: '^#[0-9a-f]{6}$' })
  @IsOptional()
  @Matches(/^#[0-9a-f]{6}$/, { message: 'themeColor must be #rrggbb (lower-case hex)' })
  themeColor?: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: '/tenant-assets/jingan-spa/logo.svg' })
  @ValidateIf((_o, v) => v !== null && v !== undefined)
  @MaxLength(500)
  @Matches(/^(https:\/\/|\/)\S+$/, { message: 'logoUrl must be an https:// URL or a /path' })
  logoUrl?: string | null;
}
