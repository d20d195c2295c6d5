import type { RefundStatusReport } from '../payment-provider';
import { fenAmount, parseRfc3339 } from './wechat-pay-mapping';

type Status = Exclude<RefundStatusReport['status'], 'not_found'>;

/**
 * WeChat refund status → ours. The refund call and the query answer `status`, the REFUND.*
 * notification `refund_status`; both use these values. ABNORMAL: the money could not reach the
 * payer (card closed) and needs staff action in the merchant platform, so for us the refund did
 * not happen (staff are alerted; a later SUCCESS after a manual retry is still taken).
 */
const REFUND_STATES: Record<string, Status> = {
  SUCCESS: 'succeeded',
  PROCESSING: 'processing',
  CLOSED: 'failed',
  ABNORMAL: 'failed',
};

export function mapRefundState(state: unknown): Status | undefined {
  return typeof state === 'string' ? REFUND_STATES[state] : undefined;
}

/**
 * A refund as WeChat describes it (query answer or decrypted REFUND.* resource): out_trade_no,
 * out_refund_no, refund_id, the status, amount{total, refund, payer_total, payer_refund} in fen
 * and success_time. Undefined when a required field is missing or not what it should be.
 */
export function refundReport(r: Record<string, unknown>, statusField: 'status' | 'refund_status') {
  const status = mapRefundState(r[statusField]);
  const amount = (r['amount'] ?? {}) as Record<string, unknown>;
  const refundFen = fenAmount(amount['refund']);
  if (!status || typeof r['out_refund_no'] !== 'string' || refundFen === undefined) return undefined;
  const succeededAt = parseRfc3339(r['success_time']);
  const report: RefundStatusReport & { status: Status } = {
    outRefundNo: r['out_refund_no'],
    status,
    refundFen,
    ...(typeof r['refund_id'] === 'string' ? { providerRefundNo: r['refund_id'] } : {}),
    ...(typeof r['out_trade_no'] === 'string' ? { outTradeNo: r['out_trade_no'] } : {}),
    ...(typeof r['mchid'] === 'string' ? { merchantId: r['mchid'] } : {}),
    ...(succeededAt ? { succeededAt } : {}),
  };
  return report;
}
