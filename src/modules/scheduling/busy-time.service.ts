import { BadRequestException, Injectable } from '@nestjs/common';
import { Prisma } from '../../generated/prisma/client';
import { BusyTimeRepository, type BusyKind, type BusyRow } from './busy-time.repository';
import { SlotTakenError } from './slot-taken.error';

export interface BusyRange {
  start: Date;
  end: Date;
}

export interface HoldOptions {
  /** the order (or checkout) the time belongs to */
  referenceId?: string | null;
  /** where the technician will be: the customer's address */
  location?: { lat: number; lng: number } | null;
  note?: string | null;
}

/**
 * Takes and gives back a technician's time. Correctness does not rest on a check-then-insert in
 * the application: the insert itself is skipped by the database (EXCLUDE constraint, ON CONFLICT
 * DO NOTHING) when it overlaps active busy time, and that becomes a SlotTakenError. Call
 * inside a tenant context (the booking's unit of work).
 */
function assertNotEmpty(range: BusyRange): void {
  if (!(range.end.getTime() > range.start.getTime())) {
    throw new BadRequestException({ code: 'EMPTY_RANGE', message: 'the busy range must end after it starts' });
  }
}

@Injectable()
export class BusyTimeService {
  constructor(private readonly repo: BusyTimeRepository) {}

  async hold(
    technicianId: string,
    range: BusyRange,
    kind: BusyKind,
    options: HoldOptions = {},
  ): Promise<{ id: string }> {
    assertNotEmpty(range);
    // an overlap is a null id (ON CONFLICT DO NOTHING), never an exclusion error
    const id = await this.repo.insert({
      technicianId,
      start: range.start,
      end: range.end,
      kind,
      referenceId: options.referenceId ?? null,
      location: options.location ?? null,
      note: options.note ?? null,
    });
    if (id === null) throw new SlotTakenError(technicianId);
    return { id };
  }

  /**
   * Moves an order's time: releases whatever `referenceId` holds and holds `range` for
   * `technicianId`, in one statement. Unlike hold() an overlap (SlotTakenError) leaves the unit of
   * work unusable: for callers that give up on it then (assignments).
   */
  async moveByReference(
    technicianId: string,
    range: BusyRange,
    kind: BusyKind,
    options: HoldOptions & { referenceId: string },
  ): Promise<{ id: string }> {
    assertNotEmpty(range);
    try {
      const id = await this.repo.moveByReference({
        technicianId,
        start: range.start,
        end: range.end,
        kind,
        referenceId: options.referenceId,
        location: options.location ?? null,
        note: options.note ?? null,
      });
      return { id };
    } catch (e) {
      if (postgresCode(e) === '23P01') throw new SlotTakenError(technicianId);
      throw e;
    }
  }

  /** Gives the time back (the row stays as history). False when it was not active or not found. */
  async release(id: string): Promise<boolean> {
    return (await this.repo.release({ id })) > 0;
  }

  /** Releases every active row of an order or checkout; returns how many. */
  releaseByReference(referenceId: string): Promise<number> {
    return this.repo.release({ referenceId });
  }

  find(id: string): Promise<BusyRow | null> {
    return this.repo.findById(id);
  }
}

/** The PostgreSQL SQLSTATE behind a Prisma raw-query error (driver adapter or native engine). */
export function postgresCode(e: unknown): string | undefined {
  if (!(e instanceof Prisma.PrismaClientKnownRequestError)) return undefined;
  const meta = e.meta as { code?: unknown; driverAdapterError?: { cause?: { originalCode?: unknown } } } | undefined;
  const code = meta?.driverAdapterError?.cause?.originalCode ?? meta?.code;
  return typeof code === 'string' ? code : undefined;
}
