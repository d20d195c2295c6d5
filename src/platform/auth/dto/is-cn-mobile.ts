import { ValidateBy, type ValidationOptions } from 'class-validator';
import { normalizeCnMobile } from '../../crypto/phone';

/** A mainland China mobile number (+86 / spaces / dashes allowed); the service normalizes it. */
export const IsCnMobile = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isCnMobile',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && normalizeCnMobile(value) !== null,
        defaultMessage: () => 'phone must be a mainland China mobile number (11 digits starting with 1)',
      },
    },
    options,
  );
