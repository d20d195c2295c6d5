import { Injectable } from '@nestjs/common';
import { Prisma } from '../../generated/prisma/client';
import { TenantContext } from '../../platform/database/tenant-context';

export type BusyKind = 'booking' | 'hold' | 'block';

export interface BusyRow {
  id: string;
  technicianId: string;
  start: Date;
  end: Date;
  kind: BusyKind;
  referenceId: string | null;
  active: boolean;
  locationLat: number | null;
  locationLng: number | null;
}

export interface NewBusy {
  technicianId: string;
  start: Date;
  end: Date;
  kind: BusyKind;
  referenceId: string | null;
  location: { lat: number; lng: number } | null;
  note: string | null;
}

/** A store block (kind `block`): time taken by training, an errand … with its reason. */
export interface BlockRow {
  id: string;
  technicianId: string;
  start: Date;
  end: Date;
  note: string | null;
  active: boolean;
  createdAt: Date;
}

/** technician_busy through raw SQL: Prisma has no type for tstzrange. */
@Injectable()
export class BusyTimeRepository {
  constructor(private readonly tenantContext: TenantContext) {}

  /**
   * Takes the time, or returns null when it overlaps active busy time: `ON CONFLICT DO NOTHING`
   * with no conflict target also covers the exclusion constraint (a concurrent overlapping insert
   * is waited for, as with an error), and nothing fails, so the caller's unit of work stays usable
   * without a savepoint. Works on either kind of unit of work.
   */
  async insert(b: NewBusy): Promise<string | null> {
    const rows = await this.tenantContext.query<{ id: string }>(
      `INSERT INTO technician_busy
         (tenant_id, technician_id, during, kind, reference_id, location_lat, location_lng, note)
       VALUES ($1::uuid, $2::uuid, tstzrange($3::timestamptz, $4::timestamptz, '[)'), $5, $6::uuid, $7::float8,
               $8::float8, $9)
       ON CONFLICT DO NOTHING
       RETURNING id`,
      [
        this.tenantContext.tenantId(),
        b.technicianId,
        b.start,
        b.end,
        b.kind,
        b.referenceId,
        b.location?.lat ?? null,
        b.location?.lng ?? null,
        b.note,
      ],
    );
    return rows[0]?.id ?? null;
  }

  /**
   * Releases the active rows of `b.referenceId` and inserts `b`, in one statement and without a
   * savepoint: an exclusion violation (23P01) aborts the caller's unit of work, so only for callers
   * that give up on it (an assignment). The insert reads the release's count, so the release has
   * run before it (an old row of the same technician no longer blocks the new one).
   */
  async moveByReference(b: NewBusy & { referenceId: string }): Promise<string> {
    const rows = await this.tenantContext.db().$queryRaw<{ id: string }[]>`
      WITH released AS (
        UPDATE technician_busy SET active = false, released_at = now()
         WHERE reference_id = ${b.referenceId}::uuid AND active
        RETURNING 1)
      INSERT INTO technician_busy
        (tenant_id, technician_id, during, kind, reference_id, location_lat, location_lng, note)
      SELECT ${this.tenantContext.tenantId()}::uuid, ${b.technicianId}::uuid,
             tstzrange(${b.start}::timestamptz, ${b.end}::timestamptz, '[)'), ${b.kind},
             ${b.referenceId}::uuid, ${b.location?.lat ?? null}::float8, ${b.location?.lng ?? null}::float8, ${b.note}
        FROM (SELECT count(*) FROM released) r
      RETURNING id`;
    return rows[0]!.id;
  }

  /** Marks active rows inactive; returns how many changed. */
  async release(where: { id?: string; referenceId?: string }): Promise<number> {
    const db = this.tenantContext.db();
    if (where.id) {
      return db.$executeRaw`
        UPDATE technician_busy SET active = false, released_at = now() WHERE id = ${where.id}::uuid AND active`;
    }
    return db.$executeRaw`
      UPDATE technician_busy SET active = false, released_at = now()
       WHERE reference_id = ${where.referenceId}::uuid AND active`;
  }

  async findById(id: string): Promise<BusyRow | null> {
    const rows = await this.tenantContext.db().$queryRaw<BusyRow[]>`
      SELECT ${Prisma.raw(COLUMNS)} FROM technician_busy WHERE id = ${id}::uuid`;
    return rows[0] ?? null;
  }

  /** A block by id, active or already removed; null for bookings, holds and unknown ids. */
  async findBlock(id: string): Promise<BlockRow | null> {
    const rows = await this.tenantContext.db().$queryRaw<BlockRow[]>`
      SELECT ${Prisma.raw(BLOCK_COLUMNS)} FROM technician_busy WHERE id = ${id}::uuid AND kind = 'block'`;
    return rows[0] ?? null;
  }

  /** Active blocks of one technician overlapping [from, to), earliest first. */
  listActiveBlocks(technicianId: string, from: Date, to: Date): Promise<BlockRow[]> {
    return this.tenantContext.db().$queryRaw<BlockRow[]>`
      SELECT ${Prisma.raw(BLOCK_COLUMNS)} FROM technician_busy
       WHERE technician_id = ${technicianId}::uuid AND kind = 'block' AND active
         AND during && tstzrange(${from}::timestamptz, ${to}::timestamptz, '[)')
       ORDER BY lower(during), id`;
  }

  /** Active busy time of these technicians overlapping [from, to). */
  async activeOverlapping(technicianIds: readonly string[], from: Date, to: Date): Promise<BusyRow[]> {
    if (technicianIds.length === 0) return [];
    return this.tenantContext.db().$queryRaw<BusyRow[]>`
      SELECT ${Prisma.raw(COLUMNS)} FROM technician_busy
       WHERE active AND technician_id = ANY(${[...technicianIds]}::uuid[])
         AND during && tstzrange(${from}::timestamptz, ${to}::timestamptz, '[)')
       ORDER BY technician_id, lower(during)`;
  }
}

const BLOCK_COLUMNS = `id, technician_id AS "technicianId", lower(during) AS start, upper(during) AS "end", note, active,
  created_at AS "createdAt"`;

const COLUMNS = `id, technician_id AS "technicianId", lower(during) AS start, upper(during) AS "end", kind,
  reference_id AS "referenceId", active, location_lat AS "locationLat", location_lng AS "locationLng"`;
