import type { QuoteAdjustment } from '../catalog/price-quote';

/**
 * Seam for member discounts, coupons and points (later issues). Each source looks at who is
 * booking and returns price-quote adjustment hooks; they run in list order after the minimum
 * top-up, and price-quote never lets them take the total below zero. Register a source by adding
 * a provider to the `QUOTE_ADJUSTMENT_SOURCES` multi-list in orders.module.ts. None yet (no-op).
 */
export interface QuoteAdjustmentSource {
  readonly name: string;
  adjustmentsFor(ctx: { customerId: string; serviceId: string }): Promise<readonly QuoteAdjustment[]>;
}

export const QUOTE_ADJUSTMENT_SOURCES = Symbol('QUOTE_ADJUSTMENT_SOURCES');
