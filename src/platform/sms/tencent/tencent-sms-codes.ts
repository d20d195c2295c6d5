import type { SmsFailure } from '../sms-errors';

// SMS API 3.0 error codes (cloud.tencent.com/document/api/382/59177) and the common ones.
const INVALID_NUMBER = new Set([
  'InvalidParameterValue.IncorrectPhoneNumber',
  'FailedOperation.PhoneNumberInBlacklist',
  'UnsupportedOperation.UnsupportedRegion',
]);

/** What a Tencent error or send-status code means for the caller; anything unknown is a refusal. */
export function tencentFailure(code: string): SmsFailure {
  // LimitExceeded.PhoneNumberThirtySecondLimit / OneHourLimit / DailyLimit / DeliveryFrequencyLimit …
  if (code.startsWith('LimitExceeded.') || code.startsWith('RequestLimitExceeded')) return 'rate_limited';
  if (INVALID_NUMBER.has(code)) return 'invalid_number';
  if (code === 'InternalError' || code === 'InternalError.Timeout' || code === 'InternalError.OtherError') {
    return 'unavailable';
  }
  return 'rejected';
}
