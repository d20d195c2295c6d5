import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import {
  CertificatesField,
  DisplayNameField,
  ExperienceField,
  FileIdField,
  GenderField,
  IntroductionField,
  IsPrcIdNumber,
  NameField,
  SkillsField,
  type CertificateInput,
} from './technician-fields';

/** What a technician submits for review (replaces the previous draft or rejected application). */
export class TechnicianApplicationDto {
  @NameField()
  name!: string;

  @DisplayNameField()
  displayName?: string;

  @GenderField()
  gender!: 'female' | 'male';

  @FileIdField('an uploaded image file: the profile photo')
  photoFileId?: string;

  @ApiProperty({ example: '11010519491231002X', description: '18-digit resident ID; stored encrypted' })
  @IsString()
  @IsPrcIdNumber()
  idNumber!: string;

  @CertificatesField()
  certificates?: CertificateInput[];

  @SkillsField()
  skills!: string[];

  @ExperienceField()
  experienceYears!: number;

  @IntroductionField()
  introduction?: string;
}
