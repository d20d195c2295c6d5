import type {
  CertificateDto,
  PublicTechnicianDto,
  TechnicianDetailDto,
  TechnicianSummaryDto,
} from './dto/technician.dto';
import { verifiedKinds } from './certificate-review';
import { defaultDisplayName } from './display-name';
import type { CertificateRow } from './technician-certificates.repository';
import type { PublicTechnicianRow, TechnicianDetailRow, TechnicianSummaryRow } from './technicians.repository';

const num = (d: { toNumber(): number } | null): number | null => (d === null ? null : d.toNumber());

export function toSummary(row: TechnicianSummaryRow): TechnicianSummaryDto {
  return {
    id: row.id,
    status: row.status,
    name: row.name,
    displayName: row.displayName,
    gender: row.gender,
    phoneMasked: row.phoneMasked,
    photoFileId: row.photoFileId,
    skills: row.skills,
    experienceYears: row.experienceYears,
    tier: row.tier,
    ratingAvg: num(row.ratingAvg),
    ratingCount: row.ratingCount,
    online: row.online,
    submittedAt: row.submittedAt,
    reviewedAt: row.reviewedAt,
    disabledAt: row.disabledAt,
    createdAt: row.createdAt,
  };
}

/**
 * The detail view. `idNumber` (decrypted) and `certificates` are passed in only when the caller
 * may see them; the keys are left out entirely otherwise, not sent as null.
 */
export function toDetail(
  row: TechnicianDetailRow,
  reveal: { idNumber?: string; certificates: boolean },
): TechnicianDetailDto {
  const certificates = row.certificates.map(toCertificate);
  return {
    ...toSummary(row),
    ...(reveal.idNumber !== undefined ? { idNumber: reveal.idNumber } : {}),
    idNumberMasked: row.idNumberMasked,
    introduction: row.introduction,
    rejectionReason: row.rejectionReason,
    homeLat: row.homeLat,
    homeLng: row.homeLng,
    lastLat: row.lastLat,
    lastLng: row.lastLng,
    locatedAt: row.locatedAt,
    onlineSince: row.onlineSince,
    ...(reveal.certificates ? { certificates } : {}),
  };
}

export function toPublic(row: PublicTechnicianRow): PublicTechnicianDto {
  return {
    id: row.id,
    displayName: row.displayName ?? defaultDisplayName(row.name ?? ''),
    gender: row.gender,
    photoFileId: row.photoFileId,
    photoUrl: row.photoFileId ? `/api/files/${row.photoFileId}` : null,
    tierName: row.tier?.name ?? null,
    ratingAvg: num(row.ratingAvg),
    ratingCount: row.ratingCount,
    skills: row.skills,
    experienceYears: row.experienceYears,
    introduction: row.introduction,
    verifiedBadges: verifiedKinds(row.certificates),
  };
}

export function toCertificate(row: CertificateRow): CertificateDto {
  return {
    id: row.id,
    fileId: row.fileId,
    kind: row.kind,
    verified: row.verified,
    status: row.status,
    rejectionReason: row.rejectionReason,
    reviewedBy: row.reviewedBy,
    reviewedAt: row.reviewedAt,
  };
}
