import { Injectable } from '@nestjs/common';
import type { Prisma } from '../../generated/prisma/client';
import { TenantContext } from '../../platform/database/tenant-context';

/** A certificate as staff and its technician see it (the file itself is fetched from /api/files). */
export const CERTIFICATE = {
  id: true,
  technicianId: true,
  fileId: true,
  kind: true,
  verified: true,
  status: true,
  rejectionReason: true,
  reviewedBy: true,
  reviewedAt: true,
} as const satisfies Prisma.TechnicianCertificateSelect;

export type CertificateRow = Prisma.TechnicianCertificateGetPayload<{ select: typeof CERTIFICATE }>;

/** Review decisions on technicians' qualification documents. */
@Injectable()
export class TechnicianCertificatesRepository {
  constructor(private readonly tenantContext: TenantContext) {}

  /** The certificate `id` of technician `technicianId` in this store, or null. */
  find(technicianId: string, id: string): Promise<CertificateRow | null> {
    return this.tenantContext.db().technicianCertificate.findFirst({
      where: { tenantId: this.tenantContext.tenantId(), technicianId, id },
      select: CERTIFICATE,
    });
  }

  /**
   * Writes a decision only while the status is still the one the caller read, so two managers
   * deciding at once cannot both act on the same state; false when someone else got there first.
   */
  async decide(
    id: string,
    expectedStatus: string,
    data: Prisma.TechnicianCertificateUncheckedUpdateManyInput,
  ): Promise<boolean> {
    const { count } = await this.tenantContext.db().technicianCertificate.updateMany({
      where: { tenantId: this.tenantContext.tenantId(), id, status: expectedStatus },
      data,
    });
    return count === 1;
  }
}
