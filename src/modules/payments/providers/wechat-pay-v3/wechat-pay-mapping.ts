import { DateTime } from 'luxon';
import type { QueryResult } from '../payment-provider';

/**
 * WeChat `trade_state` → our payment status. REFUND means the payment succeeded and a refund was
 * later requested: the payment itself is still paid (refunds are tracked separately).
 */
const TRADE_STATES: Record<string, Exclude<QueryResult['status'], 'not_found'>> = {
  SUCCESS: 'succeeded',
  REFUND: 'succeeded',
  NOTPAY: 'pending',
  USERPAYING: 'pending',
  ACCEPT: 'pending',
  CLOSED: 'closed',
  REVOKED: 'closed',
  PAYERROR: 'failed',
};

export function mapTradeState(state: unknown): Exclude<QueryResult['status'], 'not_found'> | undefined {
  return typeof state === 'string' ? TRADE_STATES[state] : undefined;
}

/** `time_expire` in RFC 3339 with the Beijing offset, e.g. 2026-11-25T10:15:00+08:00. */
export function rfc3339Beijing(d: Date): string {
  return DateTime.fromJSDate(d).setZone('Asia/Shanghai').toFormat("yyyy-MM-dd'T'HH:mm:ssZZ");
}

/** A fen amount from WeChat: a non-negative safe integer, or undefined. */
export function fenAmount(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : undefined;
}

export function parseRfc3339(v: unknown): Date | undefined {
  if (typeof v !== 'string') return undefined;
  const dt = DateTime.fromISO(v, { setZone: true });
  return dt.isValid ? dt.toJSDate() : undefined;
}

/** WeChat limits `description` to 127 characters. */
export function truncateDescription(s: string): string {
  return Array.from(s).slice(0, 127).join('');
}
