import { Injectable } from '@nestjs/common';
import type { MerchantCredential } from '../../generated/prisma/client';
import { TenantContext } from '../../platform/database/tenant-context';

@Injectable()
export class MerchantCredentialsRepository {
  constructor(private readonly tenantContext: TenantContext) {}

  private get db() {
    return this.tenantContext.db();
  }

  /** Either kind of unit of work. */
  async find(provider: string): Promise<MerchantCredential | null> {
    const rows = await this.tenantContext.query<MerchantCredential>(
      `SELECT tenant_id AS "tenantId", id, provider, merchant_id AS "merchantId", config_enc AS "configEnc", enabled,
              updated_by AS "updatedBy", created_at AS "createdAt", updated_at AS "updatedAt"
         FROM merchant_credentials WHERE tenant_id = $1::uuid AND provider = $2 LIMIT 1`,
      [this.tenantContext.tenantId(), provider],
    );
    return rows[0] ?? null;
  }

  list(): Promise<MerchantCredential[]> {
    return this.db.merchantCredential.findMany({ orderBy: { provider: 'asc' } });
  }

  upsert(
    provider: string,
    data: { merchantId: string; configEnc: Uint8Array<ArrayBuffer>; enabled?: boolean; updatedBy: string },
  ) {
    const tenantId = this.tenantContext.tenantId();
    return this.db.merchantCredential.upsert({
      where: { tenantId_provider: { tenantId, provider } },
      create: { tenantId, provider, ...data, enabled: data.enabled ?? false },
      update: { ...data },
    });
  }

  async setEnabled(provider: string, enabled: boolean, updatedBy: string): Promise<MerchantCredential | null> {
    const tenantId = this.tenantContext.tenantId();
    const r = await this.db.merchantCredential.updateMany({ where: { provider }, data: { enabled, updatedBy } });
    if (r.count === 0) return null;
    return this.db.merchantCredential.findUnique({ where: { tenantId_provider: { tenantId, provider } } });
  }
}
