import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { STORE_PHONE } from '../store-phone';
import { LatLngDto, ServiceAreaDto } from './geo.dto';
import { OpeningHoursDto } from './opening-hours.dto';

/** Absent = unchanged; `null` clears the field (where allowed). */
export class UpdateStoreProfileDto {
  @ApiPropertyOptional({ example: '上海市静安区南京西路1788号', maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  address?: string;

  @ApiPropertyOptional({ type: LatLngDto, nullable: true })
  @ValidateIf((_o, v) => v !== null && v !== undefined)
  @ValidateNested()
  @Type(() => LatLngDto)
  location?: LatLngDto | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '021-62881788' })
  @ValidateIf((_o, v) => v !== null && v !== undefined)
  @Matches(STORE_PHONE, { message: 'phone must be a landline (021-62881234), mobile or 400 number' })
  phone?: string | null;

  @ApiPropertyOptional({ type: OpeningHoursDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => OpeningHoursDto)
  openingHours?: OpeningHoursDto;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 2000 })
  @ValidateIf((_o, v) => v !== null && v !== undefined)
  @IsString()
  @MaxLength(2000)
  introduction?: string | null;

  @ApiPropertyOptional({ type: [String], maxItems: 20, example: ['https://cdn.example.com/store/1.jpg'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @MaxLength(500, { each: true })
  @Matches(/^(https:\/\/|\/)\S+$/, { each: true, message: 'each photo must be an https:// URL or a /path' })
  photoUrls?: string[];

  @ApiPropertyOptional({ type: ServiceAreaDto, nullable: true, description: 'null = no restriction' })
  @ValidateIf((_o, v) => v !== null && v !== undefined)
  @ValidateNested()
  @Type(() => ServiceAreaDto)
  serviceArea?: ServiceAreaDto | null;
}
