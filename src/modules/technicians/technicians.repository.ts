import { Injectable } from '@nestjs/common';
import type { Prisma } from '../../generated/prisma/client';
import { TenantContext } from '../../platform/database/tenant-context';
import { PENDING_REVIEW } from './certificate-review';
import { CERTIFICATE } from './technician-certificates.repository';

const TIER = { select: { id: true, code: true, name: true, commissionBps: true, sort: true } } as const;

/** Staff list columns: no encrypted values, no location. */
const SUMMARY = {
  id: true,
  status: true,
  name: true,
  displayName: true,
  gender: true,
  phoneMasked: true,
  photoFileId: true,
  skills: true,
  experienceYears: true,
  tier: TIER,
  ratingAvg: true,
  ratingCount: true,
  online: true,
  submittedAt: true,
  reviewedAt: true,
  disabledAt: true,
  createdAt: true,
} as const satisfies Prisma.TechnicianSelect;

/** Everything the detail view may need; the service decides what of it the caller sees. */
const DETAIL = {
  ...SUMMARY,
  idNumberEnc: true,
  idNumberMasked: true,
  introduction: true,
  rejectionReason: true,
  homeLat: true,
  homeLng: true,
  lastLat: true,
  lastLng: true,
  locatedAt: true,
  onlineSince: true,
  certificates: { select: CERTIFICATE, orderBy: { createdAt: 'asc' } },
} as const satisfies Prisma.TechnicianSelect;

/** What customers may see. Nothing else is even read. */
const PUBLIC = {
  id: true,
  name: true,
  displayName: true,
  gender: true,
  photoFileId: true,
  tier: { select: { name: true } },
  ratingAvg: true,
  ratingCount: true,
  skills: true,
  experienceYears: true,
  introduction: true,
  // the kinds of verified certificates only (已认证 badges): no file, no number
  certificates: { where: { status: 'verified' }, select: { kind: true, status: true } },
} as const satisfies Prisma.TechnicianSelect;

export type TechnicianSummaryRow = Prisma.TechnicianGetPayload<{ select: typeof SUMMARY }>;
export type TechnicianDetailRow = Prisma.TechnicianGetPayload<{ select: typeof DETAIL }>;
export type PublicTechnicianRow = Prisma.TechnicianGetPayload<{ select: typeof PUBLIC }>;
export type CertificateInputRow = { fileId: string; kind: string };

/** Only approved technicians are shown to customers (a disabled one has status `disabled`). */
const PUBLIC_WHERE = { status: 'approved', disabledAt: null } as const satisfies Prisma.TechnicianWhereInput;

@Injectable()
export class TechniciansRepository {
  constructor(private readonly tenantContext: TenantContext) {}

  private get db() {
    return this.tenantContext.db();
  }

  private scope(where: Prisma.TechnicianWhereInput, id?: string): Prisma.TechnicianWhereInput {
    const tenantId = this.tenantContext.tenantId();
    return { AND: [id ? { tenantId, id } : { tenantId }, where] };
  }

  list(where: Prisma.TechnicianWhereInput, take: number, cursorId?: string): Promise<TechnicianSummaryRow[]> {
    const tenantId = this.tenantContext.tenantId();
    return this.db.technician.findMany({
      where: this.scope(where),
      select: SUMMARY,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take,
      ...(cursorId ? { cursor: { tenantId_id: { tenantId, id: cursorId } }, skip: 1 } : {}),
    });
  }

  findDetail(where: Prisma.TechnicianWhereInput, id: string): Promise<TechnicianDetailRow | null> {
    return this.db.technician.findFirst({ where: this.scope(where, id), select: DETAIL });
  }

  /** Updates only while `where` (CASL scope, expected status …) still matches; false when nothing did. */
  async update(
    where: Prisma.TechnicianWhereInput,
    id: string,
    data: Prisma.TechnicianUncheckedUpdateManyInput,
  ): Promise<boolean> {
    const { count } = await this.db.technician.updateMany({ where: this.scope(where, id), data });
    return count === 1;
  }

  async create(data: Omit<Prisma.TechnicianUncheckedCreateInput, 'tenantId'>): Promise<string> {
    const row = await this.db.technician.create({
      data: { ...data, tenantId: this.tenantContext.tenantId() },
      select: { id: true },
    });
    return row.id;
  }

  /**
   * Replaces the technician's certificate list. A file that stays keeps its review decision,
   * unless it is now given as another kind: the decision was about the old kind, so it goes
   * back to review (a verified 培训证书 must not become a verified 按摩师证 by relabelling).
   */
  async replaceCertificates(technicianId: string, certs: readonly CertificateInputRow[]): Promise<void> {
    const tenantId = this.tenantContext.tenantId();
    const fileIds = certs.map((c) => c.fileId);
    await this.db.technicianCertificate.deleteMany({ where: { tenantId, technicianId, fileId: { notIn: fileIds } } });
    for (const c of certs) {
      await this.db.technicianCertificate.updateMany({
        where: { tenantId, technicianId, fileId: c.fileId, NOT: { kind: c.kind } },
        data: { kind: c.kind, ...PENDING_REVIEW },
      });
    }
    await this.db.technicianCertificate.createMany({
      data: certs.map((c) => ({ tenantId, technicianId, fileId: c.fileId, kind: c.kind })),
      skipDuplicates: true,
    });
  }

  listPublic(where: Prisma.TechnicianWhereInput, take: number): Promise<PublicTechnicianRow[]> {
    return this.db.technician.findMany({
      where: this.scope({ AND: [PUBLIC_WHERE, where] }),
      select: PUBLIC,
      orderBy: [{ ratingAvg: { sort: 'desc', nulls: 'last' } }, { ratingCount: 'desc' }, { id: 'asc' }],
      take,
    });
  }

  findPublic(id: string): Promise<PublicTechnicianRow | null> {
    return this.db.technician.findFirst({ where: this.scope(PUBLIC_WHERE, id), select: PUBLIC });
  }

  /** Another technician of this store with the same lookup hash (ID number or phone), if any. */
  async hashTaken(
    column: 'idNumberHash' | 'phoneHash',
    hash: Uint8Array<ArrayBuffer>,
    exceptId?: string,
  ): Promise<boolean> {
    const tenantId = this.tenantContext.tenantId();
    const n = await this.db.technician.count({
      where: { tenantId, [column]: hash, ...(exceptId ? { NOT: { id: exceptId } } : {}) },
    });
    return n > 0;
  }

  /** For the review notice job: where to send it and whether the decision still holds. */
  findNoticeTarget(id: string) {
    return this.db.technician.findFirst({
      where: this.scope({}, id),
      select: { status: true, phoneEnc: true, rejectionReason: true },
    });
  }

  tierExists(tierId: string): Promise<boolean> {
    const tenantId = this.tenantContext.tenantId();
    return this.db.technicianTier.count({ where: { tenantId, id: tierId } }).then((n) => n === 1);
  }
}
