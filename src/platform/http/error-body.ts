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

/** Fastify's own errors (body parsing, limits) in our words: code → [our code, message]. */
export const FASTIFY_ERRORS: Record<string, [string, string]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: ['MALFORMED_JSON', 'malformed JSON body'],
  FST_ERR_CTP_EMPTY_JSON_BODY: ['MALFORMED_JSON', 'empty JSON body'],
  FST_ERR_CTP_BODY_TOO_LARGE: ['BODY_TOO_LARGE', 'request body too large'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ['UNSUPPORTED_MEDIA_TYPE', 'unsupported content type'],
};
