import { HttpException, HttpStatus } from '@nestjs/common';

/**
 * Why a gateway did not take a message:
 * - `rate_limited`: the gateway's flow control for this number or account (try again later);
 * - `invalid_number`: the number cannot receive messages (malformed, unsubscribed, not supported);
 * - `unavailable`: no usable answer (network error, timeout, 5xx, gateway-side failure); retrying is safe;
 * - `rejected`: the gateway refused our request (credentials, sign name, template, balance): an operator
 *   has to fix the configuration or the account.
 */
export type SmsFailure = 'rate_limited' | 'invalid_number' | 'unavailable' | 'rejected';

/** How each failure reaches an HTTP caller (sign-in codes are sent inside the request). */
const RESPONSE: Record<SmsFailure, { status: number; code: string; message: string }> = {
  rate_limited: {
    status: HttpStatus.TOO_MANY_REQUESTS,
    code: 'SMS_RATE_LIMITED',
    message: 'too many messages to this number, try again later',
  },
  invalid_number: {
    status: HttpStatus.BAD_REQUEST,
    code: 'SMS_INVALID_NUMBER',
    message: 'this number cannot receive text messages',
  },
  unavailable: {
    status: HttpStatus.SERVICE_UNAVAILABLE,
    code: 'SMS_UNAVAILABLE',
    message: 'the text message service is unavailable, try again later',
  },
  rejected: { status: HttpStatus.BAD_GATEWAY, code: 'SMS_REJECTED', message: 'the text message could not be sent' },
};

/** The gateway's flow control gives no wait time; a minute matches the per-number resend gap. */
const GATEWAY_RATE_LIMIT_RETRY_SECONDS = 60;

/**
 * A message the gateway did not accept. The response body carries only the generic wording above;
 * `message` (logged with 5xx responses and failed jobs) names the gateway, its code and its words.
 */
export class SmsSendError extends HttpException {
  constructor(
    readonly gateway: 'aliyun' | 'tencent',
    readonly failure: SmsFailure,
    detail: string,
    readonly gatewayCode?: string,
  ) {
    const r = RESPONSE[failure];
    super(
      {
        code: r.code,
        message: r.message,
        ...(failure === 'rate_limited' ? { retryAfterSeconds: GATEWAY_RATE_LIMIT_RETRY_SECONDS } : {}),
      },
      r.status,
    );
    this.message = `${gateway} SMS ${failure}: ${detail}`;
  }
}
