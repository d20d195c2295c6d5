import { ConflictException } from '@nestjs/common';

/**
 * The technician already has active busy time overlapping the requested range (the database's
 * exclusion constraint said so). A Nest HttpException, so it reaches HTTP clients as a 409.
 */
export class SlotTakenError extends ConflictException {
  constructor(readonly technicianId: string) {
    super({
      code: 'SLOT_TAKEN',
      message: '该时段已被预约 / this time is no longer available for the technician',
    });
  }
}
