import { STATUS_CODES } from 'node:http';
import type { FieldError } from './validation';

/** The one error shape every 4xx/5xx response has. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  code: string;
  message: string;
  fields?: FieldError[];
  requestId?: string;
  [extra: string]: unknown;
}

export function errorBody(
  statusCode: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
): ErrorBody {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', code, message, ...extra };
}

export const defaultCode = (status: number): string =>
  (STATUS_CODES[status] ?? 'ERROR').toUpperCase().replace(/[^A-Z0-9]+/g, '_');
