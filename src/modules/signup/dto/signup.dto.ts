import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsNotIn,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  MinLength,
  ValidateBy,
} from 'class-validator';
import { normalizeCnMobile } from '../../../platform/crypto/phone';
import { RESERVED_SLUGS, SLUG_PATTERN } from '../slug-rules';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const lowerTrim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

export const IsCnMobile = () =>
  ValidateBy({
    name: 'isCnMobile',
    validator: {
      validate: (v: unknown) => typeof v === 'string' && normalizeCnMobile(v) !== null,
      defaultMessage: () => 'phone must be a mainland China mobile number (11 digits, 1[3-9]…)',
    },
  });

export class SignupDto {
  @ApiProperty({ example: 'owner@example.com', description: '店主邮箱 (owner e-mail), receives the verification link' })
  @Transform(lowerTrim)
  @IsEmail({}, { message: 'email must be a valid e-mail address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ minLength: 10, maxLength: 128, description: '登录密码 (at least 10 characters)' })
  @IsString()
  @MinLength(10, { message: 'password must be at least 10 characters' })
  @MaxLength(128)
  password!: string;

  @ApiProperty({ example: '王芳', description: '店主姓名 (owner name)' })
  @Transform(trim)
  @IsString()
  @Length(1, 40)
  ownerName!: string;

  @ApiProperty({ example: '静安上门推拿', description: '门店名称 (store name)' })
  @Transform(trim)
  @IsString()
  @Length(1, 60)
  storeName!: string;

  @ApiProperty({
    example: 'jingan-tuina',
    description: 'lowercase letters, digits and dashes, 3–30 characters; some words are reserved',
  })
  // Not lowercased for the caller: the address they typed is the address they get, or a 400.
  @Transform(trim)
  @IsString()
  @Matches(SLUG_PATTERN, { message: 'slug must be 3–30 lowercase letters, digits or dashes, starting with a letter' })
  @IsNotIn(RESERVED_SLUGS, { message: 'slug is reserved' })
  slug!: string;

  @ApiProperty({ example: '上海', description: '城市 (city)' })
  @Transform(trim)
  @IsString()
  @Length(1, 40)
  city!: string;

  @ApiProperty({ example: '13812341234', description: '店主手机 (mainland mobile); stored encrypted' })
  @IsString()
  @IsCnMobile()
  phone!: string;

  @ApiPropertyOptional({ enum: ['zh-CN', 'en'], default: 'zh-CN', description: 'language of e-mails and the store' })
  @IsOptional()
  @IsIn(['zh-CN', 'en'])
  locale?: 'zh-CN' | 'en';
}

export class ResendVerificationDto {
  @ApiProperty({ example: 'owner@example.com' })
  @Transform(lowerTrim)
  @IsEmail({}, { message: 'email must be a valid e-mail address' })
  @MaxLength(254)
  email!: string;
}

export class VerifyQueryDto {
  @ApiProperty({ description: 'the token from the verification e-mail' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{20,100}$/, { message: 'token is malformed' })
  token!: string;
}
