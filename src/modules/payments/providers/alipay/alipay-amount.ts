import { DateTime } from 'luxon';

/**
 * Alipay amounts are yuan as decimal strings ("0.01", "1234.50", "10"). Converting through a
 * float (0.29 * 100 = 28.999999999999996) loses fen, so these parse and print the digits.
 */
const YUAN = /^(0|[1-9]\d{0,12})(?:\.(\d{1,2}))?$/;

/** Integer fen, or undefined for anything that is not a plain yuan amount with at most 2 decimals. */
export function yuanToFen(yuan: string): number | undefined {
  const m = YUAN.exec(yuan.trim());
  if (!m) return undefined;
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return Number.isSafeInteger(fen) ? fen : undefined;
}

export function fenToYuan(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0) throw new RangeError('fen must be a non-negative integer');
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

/** Alipay's "yyyy-MM-dd HH:mm:ss" wall-clock times are Beijing time. */
export function formatBeijing(d: Date): string {
  return DateTime.fromJSDate(d).setZone('Asia/Shanghai').toFormat('yyyy-MM-dd HH:mm:ss');
}

export function parseBeijing(s: unknown): Date | undefined {
  if (typeof s !== 'string') return undefined;
  const dt = DateTime.fromFormat(s, 'yyyy-MM-dd HH:mm:ss', { zone: 'Asia/Shanghai' });
  return dt.isValid ? dt.toJSDate() : undefined;
}
