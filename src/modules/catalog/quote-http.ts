import { BadRequestException } from '@nestjs/common';
import { QuoteError } from './price-quote';

/** A QuoteError as the API answers it: 400 with the code and the field at fault. */
export function quoteErrorToHttp(err: unknown): unknown {
  if (!(err instanceof QuoteError)) return err;
  return new BadRequestException({
    code: err.code,
    message: err.message,
    fields: [{ field: err.field, messages: [err.message] }],
  });
}
