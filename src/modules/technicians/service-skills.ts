import { Injectable } from '@nestjs/common';
import { TenantContext } from '../../platform/database/tenant-context';

/**
 * The skills an active catalog service requires (`services.required_skills`, the same codes
 * as technicians' skills); null when the store has no such active service.
 */
@Injectable()
export class ServiceSkills {
  constructor(private readonly tenantContext: TenantContext) {}

  async requiredFor(serviceId: string): Promise<string[] | null> {
    const row = await this.tenantContext.db().service.findFirst({
      where: { tenantId: this.tenantContext.tenantId(), id: serviceId, active: true },
      select: { requiredSkills: true },
    });
    return row?.requiredSkills ?? null;
  }
}
