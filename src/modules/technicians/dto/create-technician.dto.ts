import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Matches } from 'class-validator';
import {
  CertificatesField,
  DisplayNameField,
  ExperienceField,
  FileIdField,
  GenderField,
  IntroductionField,
  IsPrcIdNumber,
  LatField,
  LngField,
  NameField,
  SkillsField,
  type CertificateInput,
} from './technician-fields';

/** Staff add a technician directly (already vetted in person): the profile starts approved. */
export class CreateTechnicianDto {
  @ApiProperty({ example: '13812341234', description: 'mainland mobile; the technician signs in with it' })
  @IsString()
  @Matches(/^(\+86|0086)?\s*1[3-9]\d(?:[\s-]?\d){8}$/, { message: 'phone must be a mainland mobile number' })
  phone!: string;

  @NameField()
  name!: string;

  @DisplayNameField()
  displayName?: string;

  @GenderField()
  gender!: 'female' | 'male';

  @FileIdField('an uploaded image file: the profile photo')
  photoFileId?: string;

  @ApiPropertyOptional({ example: '11010519491231002X', description: '18-digit resident ID; stored encrypted' })
  @IsOptional()
  @IsString()
  @IsPrcIdNumber()
  idNumber?: string;

  @CertificatesField()
  certificates?: CertificateInput[];

  @SkillsField()
  skills!: string[];

  @ExperienceField()
  experienceYears!: number;

  @IntroductionField()
  introduction?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  tierId?: string;

  @LatField(true)
  homeLat?: number;

  @LngField(true)
  homeLng?: number;
}
