import type { SmsFailure } from '../sms-errors';

// Dysmsapi error codes (help.aliyun.com/document_detail/101346.html) and OpenAPI gateway codes.
const RATE_LIMITED = new Set([
  'isv.BUSINESS_LIMIT_CONTROL', // per-number flow control (e.g. 1 per minute, 5 per hour)
  'isv.DAY_LIMIT_CONTROL',
  'isv.MONTH_LIMIT_CONTROL',
]);
const INVALID_NUMBER = new Set([
  'isv.MOBILE_NUMBER_ILLEGAL',
  'isv.DOMESTIC_NUMBER_NOT_SUPPORTED',
  'isv.BLACK_KEY_CONTROL_LIMIT',
]);
const UNAVAILABLE = new Set(['isp.SYSTEM_ERROR', 'isp.GATEWAY_ERROR', 'ServiceUnavailable', 'InternalError']);

/** What a non-OK Dysmsapi `Code` means for the caller; anything unknown is a refusal to look into. */
export function aliyunFailure(code: string): SmsFailure {
  if (RATE_LIMITED.has(code) || code.startsWith('Throttling')) return 'rate_limited';
  if (INVALID_NUMBER.has(code)) return 'invalid_number';
  if (UNAVAILABLE.has(code)) return 'unavailable';
  return 'rejected';
}
