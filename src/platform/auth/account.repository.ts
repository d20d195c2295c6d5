import { Injectable } from '@nestjs/common';
import { TenantContext } from '../database/tenant-context';
import type { SealedPhone } from './phone-sealer';

const CUSTOMER = { id: true, phoneMasked: true, nickname: true, createdAt: true } as const;
const TECHNICIAN = { id: true, phoneMasked: true, name: true, status: true, createdAt: true } as const;
const STAFF = { id: true, email: true, name: true, role: true, disabledAt: true, createdAt: true } as const;

export type CustomerRow = { id: string; phoneMasked: string; nickname: string | null; createdAt: Date };
export type TechnicianRow = { id: string; phoneMasked: string; name: string | null; status: string; createdAt: Date };
export type StaffRow = {
  id: string;
  email: string;
  name: string;
  role: string;
  disabledAt: Date | null;
  createdAt: Date;
};

/** The store's sign-in principals (customers, technicians, staff), within the request's store. */
@Injectable()
export class AccountRepository {
  constructor(private readonly tenantContext: TenantContext) {}

  /**
   * Finds the customer with this phone at this store, creating them on first sign-in. The insert
   * ignores a duplicate, so two first sign-ins at once end up with the same row.
   */
  async upsertCustomer(phone: SealedPhone): Promise<{ row: CustomerRow; created: boolean }> {
    const db = this.tenantContext.db();
    const tenantId = this.tenantContext.tenantId();
    const { count } = await db.customer.createMany({ data: [{ tenantId, ...phone }], skipDuplicates: true });
    const row = await db.customer.update({
      where: { tenantId_phoneHash: { tenantId, phoneHash: phone.phoneHash } },
      data: { lastLoginAt: new Date() },
      select: CUSTOMER,
    });
    return { row, created: count === 1 };
  }

  /** Same for technicians: the first sign-in makes an `applicant` who then completes a profile. */
  async upsertTechnician(phone: SealedPhone): Promise<{ row: TechnicianRow; created: boolean }> {
    const db = this.tenantContext.db();
    const tenantId = this.tenantContext.tenantId();
    const { count } = await db.technician.createMany({
      data: [{ tenantId, ...phone, status: 'applicant' }],
      skipDuplicates: true,
    });
    const row = await db.technician.update({
      where: { tenantId_phoneHash: { tenantId, phoneHash: phone.phoneHash } },
      data: { lastLoginAt: new Date() },
      select: TECHNICIAN,
    });
    return { row, created: count === 1 };
  }

  findStaffByEmail(email: string): Promise<(StaffRow & { passwordHash: string }) | null> {
    return this.tenantContext.db().staffAccount.findUnique({
      where: { tenantId_email: { tenantId: this.tenantContext.tenantId(), email } },
      select: { ...STAFF, passwordHash: true },
    });
  }

  findStaff(id: string): Promise<StaffRow | null> {
    return this.tenantContext.db().staffAccount.findFirst({ where: { id }, select: STAFF });
  }

  findCustomer(id: string): Promise<CustomerRow | null> {
    return this.tenantContext.db().customer.findFirst({ where: { id }, select: CUSTOMER });
  }

  findTechnician(id: string): Promise<TechnicianRow | null> {
    return this.tenantContext.db().technician.findFirst({ where: { id }, select: TECHNICIAN });
  }
}
