import { Injectable } from '@nestjs/common';
import type { PaymentSetting } from '../../generated/prisma/client';
import { TenantContext } from '../../platform/database/tenant-context';

/** What a store without a payment_settings row offers (the table's column defaults). */
export const DEFAULT_PAYMENT_SETTINGS = { onArrivalEnabled: true, sandboxEnabled: true } as const;

export type PaymentSettingsValues = { onArrivalEnabled: boolean; sandboxEnabled: boolean };

@Injectable()
export class PaymentSettingsRepository {
  constructor(private readonly tenantContext: TenantContext) {}

  private get db() {
    return this.tenantContext.db();
  }

  /** Either kind of unit of work. */
  async get(): Promise<PaymentSettingsValues & { updatedAt: Date | null }> {
    const rows = await this.tenantContext.query<PaymentSettingsValues & { updatedAt: Date }>(
      `SELECT on_arrival_enabled AS "onArrivalEnabled", sandbox_enabled AS "sandboxEnabled", updated_at AS "updatedAt"
         FROM payment_settings WHERE tenant_id = $1::uuid`,
      [this.tenantContext.tenantId()],
    );
    return rows[0] ?? { ...DEFAULT_PAYMENT_SETTINGS, updatedAt: null };
  }

  async upsert(data: Partial<PaymentSettingsValues>, updatedBy: string) {
    const tenantId = this.tenantContext.tenantId();
    return values(
      await this.db.paymentSetting.upsert({
        where: { tenantId },
        create: { tenantId, ...data, updatedBy },
        update: { ...data, updatedBy },
      }),
    );
  }
}

const values = (r: PaymentSetting): PaymentSettingsValues & { updatedAt: Date | null } => ({
  onArrivalEnabled: r.onArrivalEnabled,
  sandboxEnabled: r.sandboxEnabled,
  updatedAt: r.updatedAt,
});
