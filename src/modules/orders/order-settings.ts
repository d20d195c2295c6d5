import type { OrderSettings } from '../../generated/prisma/client';
import { parseFeeSteps, type CancellationPolicy } from './cancellation-policy';

/** A store's order rules; a store without an `order_settings` row gets the column defaults. */
export interface EffectiveOrderSettings {
  orderNumberPrefix: string | null;
  unpaidTimeoutMinutes: number;
  reminderMinutesBefore: number;
  overrunGraceMinutes: number;
  cancellation: CancellationPolicy;
}

export function effectiveSettings(row: OrderSettings | null): EffectiveOrderSettings {
  return {
    orderNumberPrefix: row?.orderNumberPrefix ?? null,
    unpaidTimeoutMinutes: row?.unpaidTimeoutMinutes ?? 15,
    reminderMinutesBefore: row?.reminderMinutesBefore ?? 60,
    overrunGraceMinutes: row?.overrunGraceMinutes ?? 15,
    cancellation: {
      freeCancelMinutes: row?.freeCancelMinutes ?? 120,
      fees: row
        ? parseFeeSteps(row.cancellationFees)
        : [
            { withinMinutes: 120, feePercent: 20 },
            { withinMinutes: 30, feePercent: 50 },
          ],
      technicianSharePct: row?.technicianFeeSharePct ?? 50,
    },
  };
}
