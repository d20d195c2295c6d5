import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, ValidateIf } from 'class-validator';
import {
  DisplayNameField,
  GenderField,
  IntroductionField,
  IsPrcIdNumber,
  LatField,
  LngField,
  NameField,
  SkillsField,
  ExperienceField,
} from './technician-fields';

/** Staff edit a technician; every field optional, `null` clears the tier, photo or home base. */
export class UpdateTechnicianDto {
  @NameField()
  @IsOptional()
  name?: string;

  @DisplayNameField()
  displayName?: string;

  @GenderField()
  @IsOptional()
  gender?: 'female' | 'male';

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'an image file, or null' })
  @ValidateIf((_o, v) => v !== null)
  @IsOptional()
  @IsUUID()
  photoFileId?: string | null;

  @ApiPropertyOptional({ example: '11010519491231002X' })
  @IsOptional()
  @IsString()
  @IsPrcIdNumber()
  idNumber?: string;

  @SkillsField()
  @IsOptional()
  skills?: string[];

  @ExperienceField()
  @IsOptional()
  experienceYears?: number;

  @IntroductionField()
  introduction?: string;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'a tier of this store, or null' })
  @ValidateIf((_o, v) => v !== null)
  @IsOptional()
  @IsUUID()
  tierId?: string | null;

  @LatField(true)
  @ValidateIf((_o, v) => v !== null)
  homeLat?: number | null;

  @LngField(true)
  @ValidateIf((_o, v) => v !== null)
  homeLng?: number | null;
}
