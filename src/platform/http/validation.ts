import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';
import { memoizeValidationMetadata } from './validation-metadata-cache';

export interface FieldError {
  field: string;
  messages: string[];
}

/** Flattens class-validator errors into `{ field: 'address.lat', messages: [...] }`. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, messages: Object.values(e.constraints) }] : [];
    return [...own, ...flattenValidationErrors(e.children ?? [], field)];
  });
}

export function createValidationPipe(): ValidationPipe {
  memoizeValidationMetadata();
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) =>
      new BadRequestException({
        code: 'VALIDATION_FAILED',
        message: 'some fields are invalid',
        fields: flattenValidationErrors(errors),
      }),
  });
}
