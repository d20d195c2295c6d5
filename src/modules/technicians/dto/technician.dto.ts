import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CERTIFICATE_STATUSES } from '../certificate-review';
import { TECHNICIAN_STATUSES } from '../technician-status';
import { CERTIFICATE_KINDS, GENDERS } from './technician-fields';
import { TierDto } from './tier.dto';

export class CertificateDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  fileId!: string;

  @ApiProperty({ enum: CERTIFICATE_KINDS })
  kind!: string;

  @ApiProperty({ description: 'true once a manager verified it (status verified)' })
  verified!: boolean;

  @ApiProperty({ enum: CERTIFICATE_STATUSES, description: "a manager's decision; pending until one is made" })
  status!: string;

  @ApiProperty({ type: String, nullable: true, example: '证书已过期', description: 'why it was rejected' })
  rejectionReason!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'the staff member who decided' })
  reviewedBy!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  reviewedAt!: Date | null;
}

/** A technician in the staff list. The phone only masked; no ID number, no location. */
export class TechnicianSummaryDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: TECHNICIAN_STATUSES })
  status!: string;

  @ApiProperty({ type: String, nullable: true, example: '李小芳' })
  name!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '李技师' })
  displayName!: string | null;

  @ApiProperty({ enum: GENDERS, nullable: true })
  gender!: string | null;

  @ApiProperty({ example: '138****1234' })
  phoneMasked!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  photoFileId!: string | null;

  @ApiProperty({ type: [String], example: ['tuina'] })
  skills!: string[];

  @ApiProperty({ type: Number, nullable: true })
  experienceYears!: number | null;

  @ApiProperty({ type: TierDto, nullable: true })
  tier!: TierDto | null;

  @ApiProperty({ type: Number, nullable: true, example: 4.85, description: 'average review score, 0–5' })
  ratingAvg!: number | null;

  @ApiProperty({ example: 12 })
  ratingCount!: number;

  @ApiProperty()
  online!: boolean;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  submittedAt!: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  reviewedAt!: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  disabledAt!: Date | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;
}

export class TechnicianPageDto {
  @ApiProperty({ type: [TechnicianSummaryDto] })
  items!: TechnicianSummaryDto[];

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  nextCursor!: string | null;
}

export class TechnicianDetailDto extends TechnicianSummaryDto {
  @ApiPropertyOptional({
    example: '11010519491231002X',
    description: 'the full ID number: present only for the store owner and managers',
  })
  idNumber?: string;

  @ApiProperty({ type: String, nullable: true, example: '110***********002X' })
  idNumberMasked!: string | null;

  @ApiProperty({ type: String, nullable: true })
  introduction!: string | null;

  @ApiProperty({ type: String, nullable: true })
  rejectionReason!: string | null;

  @ApiProperty({ type: Number, nullable: true })
  homeLat!: number | null;

  @ApiProperty({ type: Number, nullable: true })
  homeLng!: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'last known position (for dispatch)' })
  lastLat!: number | null;

  @ApiProperty({ type: Number, nullable: true })
  lastLng!: number | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  locatedAt!: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  onlineSince!: Date | null;

  @ApiPropertyOptional({
    type: [CertificateDto],
    description: 'qualification documents: present only for the store owner, managers and the technician',
  })
  certificates?: CertificateDto[];
}

/** A technician as customers see them: no phone, ID number, location or certificate documents. */
export class PublicTechnicianDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: '李技师' })
  displayName!: string;

  @ApiProperty({ enum: GENDERS, nullable: true })
  gender!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  photoFileId!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '/api/files/…', description: 'relative to the store' })
  photoUrl!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '金牌' })
  tierName!: string | null;

  @ApiProperty({ type: Number, nullable: true, example: 4.85 })
  ratingAvg!: number | null;

  @ApiProperty({ example: 12 })
  ratingCount!: number;

  @ApiProperty({ type: [String], example: ['tuina'] })
  skills!: string[];

  @ApiProperty({ type: Number, nullable: true })
  experienceYears!: number | null;

  @ApiProperty({ type: String, nullable: true })
  introduction!: string | null;

  @ApiProperty({
    enum: CERTIFICATE_KINDS,
    isArray: true,
    example: ['massage_license', 'health_certificate'],
    description: '已认证 badges: the kinds of certificates the store verified (never the document or its number)',
  })
  verifiedBadges!: string[];
}

export class PublicTechnicianListDto {
  @ApiProperty({ type: [PublicTechnicianDto] })
  items!: PublicTechnicianDto[];
}
