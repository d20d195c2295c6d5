import { HttpException, HttpStatus } from '@nestjs/common';
import { KEEP_WRITES } from '../database/keep-writes';

/**
 * A refused sign-in whose side effects must stand: the audit entry of a failed attempt, the
 * revocation of a session family after refresh-token reuse. Any other exception rolls back the
 * request's unit of work; this one is marked KEEP_WRITES, so the work commits first.
 */
export class AuthFailure extends HttpException {
  readonly [KEEP_WRITES] = true;

  constructor(code: string, message: string, status: number = HttpStatus.UNAUTHORIZED, extra: object = {}) {
    super({ code, message, ...extra }, status);
  }
}

/** One message for unknown accounts and wrong secrets, so responses do not reveal which it was. */
export const invalidCredentials = () => new AuthFailure('INVALID_CREDENTIALS', 'email or password is incorrect');
export const invalidRefreshToken = () =>
  new AuthFailure('INVALID_REFRESH_TOKEN', 'refresh token is invalid or expired, sign in again');
