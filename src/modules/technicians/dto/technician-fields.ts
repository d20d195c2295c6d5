import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
  registerDecorator,
  type ValidationOptions,
} from 'class-validator';
import { isValidIdNumber } from '../id-number';

/** Skill codes shared with the catalog's required skills (e.g. `tuina`, `spa_oil`, `foot`). */
export const SKILL_CODE = /^[a-z][a-z0-9_]{1,31}$/;
export const GENDERS = ['female', 'male'] as const;
export const CERTIFICATE_KINDS = ['massage_license', 'health_certificate', 'training', 'other'] as const;

/** 18-digit PRC resident ID with a valid birth date and MOD 11-2 check character. */
export function IsPrcIdNumber(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isPrcIdNumber',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: 'idNumber must be a valid 18-digit resident ID number', ...options },
      validator: { validate: (v: unknown) => typeof v === 'string' && isValidIdNumber(v) },
    });
}

export const SkillsField = () =>
  applyDecorators(
    ApiProperty({ type: [String], example: ['tuina', 'spa_oil'], maxItems: 20, description: 'skill codes' }),
    IsArray(),
    ArrayMaxSize(20),
    ArrayUnique(),
    Matches(SKILL_CODE, { each: true, message: 'each skill must be a code like tuina or spa_oil' }),
  );

export const NameField = () =>
  applyDecorators(ApiProperty({ example: '李小芳', minLength: 1, maxLength: 40 }), IsString(), Length(1, 40));

export const DisplayNameField = () =>
  applyDecorators(
    ApiPropertyOptional({
      example: '李技师',
      maxLength: 20,
      description: 'shown to customers; default: surname + 技师',
    }),
    IsOptional(),
    IsString(),
    Length(1, 20),
  );

export const GenderField = () => applyDecorators(ApiProperty({ enum: GENDERS }), IsIn(GENDERS));

export const ExperienceField = () =>
  applyDecorators(
    ApiProperty({ minimum: 0, maximum: 60, example: 5, description: 'years of experience' }),
    IsInt(),
    Min(0),
    Max(60),
  );

export const IntroductionField = () =>
  applyDecorators(
    ApiPropertyOptional({ maxLength: 2000, example: '十年中医推拿经验' }),
    IsOptional(),
    IsString(),
    Length(0, 2000),
  );

export const FileIdField = (description: string) =>
  applyDecorators(ApiPropertyOptional({ format: 'uuid', description }), IsOptional(), IsUUID());

const coordinate = (max: number, example: number, optional: boolean) =>
  applyDecorators(
    optional
      ? ApiPropertyOptional({ minimum: -max, maximum: max, example })
      : ApiProperty({ minimum: -max, maximum: max, example }),
    ...(optional ? [IsOptional()] : []),
    IsNumber({ allowNaN: false, allowInfinity: false }),
    Min(-max),
    Max(max),
  );
export const LatField = (optional = false) => coordinate(90, 31.2304, optional);
export const LngField = (optional = false) => coordinate(180, 121.4737, optional);

export class CertificateInput {
  @ApiProperty({ format: 'uuid', description: 'an uploaded certificate file (kind certificate)' })
  @IsUUID()
  fileId!: string;

  @ApiProperty({ enum: CERTIFICATE_KINDS })
  @IsIn(CERTIFICATE_KINDS)
  kind!: (typeof CERTIFICATE_KINDS)[number];
}

export const CertificatesField = () =>
  applyDecorators(
    ApiPropertyOptional({ type: [CertificateInput], maxItems: 10 }),
    IsOptional(),
    IsArray(),
    ArrayMaxSize(10),
    ValidateNested({ each: true }),
    Type(() => CertificateInput),
  );
