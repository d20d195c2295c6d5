/**
 * Refunds, as the orders module hands them to payments/ledger.
 *
 * Cancelling an order (order-cancellation.service.ts) computes what is owed by the store's
 * cancellation policy and writes ONE `refund_requests` row in the same transaction:
 *   - `pending`            — within policy: the payments module executes it (provider refund +
 *                            ledger entries: refund to the customer, `fee_fen` kept as store
 *                            revenue of which `technician_share_fen` is the technician's earning),
 *                            sets `executed` / `failed`, then calls
 *                            `OrdersPaymentPort.markRefunded(orderId, amountFen)`.
 *   - `awaiting_approval`  — beyond policy (a customer asks for more than the policy gives):
 *                            staff approve (→ `pending`) or reject (→ `rejected`). The approval
 *                            endpoint is not built yet; this status is the seam.
 * Rows are never deleted; `policy` holds the inputs the amount was computed from.
 */
export type RefundRequestStatus = 'awaiting_approval' | 'pending' | 'executed' | 'failed' | 'rejected';

export interface RefundRequestData {
  id: string;
  orderId: string;
  amountFen: number;
  feeFen: number;
  technicianShareFen: number;
  status: RefundRequestStatus;
  reason: string | null;
}
