import { BadRequestException, ConflictException, NotFoundException } from '@nestjs/common';
import type { FieldError } from '../../platform/http/validation';

/** One answer for "no such technician" and "not yours to see": the caller learns nothing. */
export const technicianNotFound = () =>
  new NotFoundException({ code: 'TECHNICIAN_NOT_FOUND', message: 'technician not found' });

export const invalidFields = (fields: FieldError[]) =>
  new BadRequestException({ code: 'VALIDATION_FAILED', message: 'some fields are invalid', fields });

export const wrongStatus = (status: string, action: string) =>
  new ConflictException({
    code: 'TECHNICIAN_STATUS_CONFLICT',
    message: `cannot ${action} a technician whose status is ${status}`,
    status,
  });

export const idNumberTaken = () =>
  new ConflictException({
    code: 'ID_NUMBER_TAKEN',
    message: 'this ID number is already registered at this store',
    fields: [{ field: 'idNumber', messages: ['already registered at this store'] }],
  });

export const phoneTaken = () =>
  new ConflictException({
    code: 'PHONE_TAKEN',
    message: 'a technician with this phone number already exists at this store',
    fields: [{ field: 'phone', messages: ['already registered at this store'] }],
  });
