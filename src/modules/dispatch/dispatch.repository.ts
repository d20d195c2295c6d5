import { Injectable } from '@nestjs/common';
import type { DispatchLog, DispatchOffer, DispatchRun, Prisma } from '../../generated/prisma/client';
import { TenantContext } from '../../platform/database/tenant-context';
import type { DispatchLogKind } from './dispatch-labels';
import { DEFAULT_DISPATCH_SETTINGS, type DispatchMode, type DispatchSettingsView } from './dispatch-settings';

export interface LogEntry {
  orderId: string;
  kind: DispatchLogKind;
  technicianId?: string | null;
  score?: Prisma.InputJsonValue | null;
  reasonCode?: string | null;
  details?: Prisma.InputJsonValue;
  actorType: 'staff' | 'customer' | 'technician' | 'system';
  actorId?: string | null;
}

export type SettingsChanges = Partial<Omit<DispatchSettingsView, 'weights'>> & {
  weights?: Partial<DispatchSettingsView['weights']>;
};

/** The only file of the dispatch module that touches dispatch tables (inside a tenant context). */
@Injectable()
export class DispatchRepository {
  constructor(private readonly tenantContext: TenantContext) {}

  private get db() {
    return this.tenantContext.db();
  }
  private get tenantId() {
    return this.tenantContext.tenantId();
  }

  async settings(): Promise<DispatchSettingsView> {
    const row = await this.db.dispatchSettings.findUnique({ where: { tenantId: this.tenantId } });
    if (!row) return { ...DEFAULT_DISPATCH_SETTINGS, weights: { ...DEFAULT_DISPATCH_SETTINGS.weights } };
    return {
      mode: row.mode as DispatchMode,
      offerTimeoutSeconds: row.offerTimeoutSeconds,
      radiusStepsM: row.radiusStepsM,
      poolParticipation: row.poolParticipation as DispatchSettingsView['poolParticipation'],
      weights: { eta: row.weightEta, rating: row.weightRating, tier: row.weightTier, fairness: row.weightFairness },
    };
  }

  async saveSettings(c: SettingsChanges, staffId: string): Promise<DispatchSettingsView> {
    const data = {
      mode: c.mode,
      offerTimeoutSeconds: c.offerTimeoutSeconds,
      radiusStepsM: c.radiusStepsM,
      poolParticipation: c.poolParticipation,
      weightEta: c.weights?.eta,
      weightRating: c.weights?.rating,
      weightTier: c.weights?.tier,
      weightFairness: c.weights?.fairness,
      updatedBy: staffId,
    };
    await this.db.dispatchSettings.upsert({
      where: { tenantId: this.tenantId },
      create: { tenantId: this.tenantId, ...data },
      update: data,
    });
    return this.settings();
  }

  async orderExists(orderId: string): Promise<boolean> {
    const o = await this.db.order.findUnique({
      where: { tenantId_id: { tenantId: this.tenantId, id: orderId } },
      select: { id: true },
    });
    return o !== null;
  }

  async hasRun(orderId: string): Promise<boolean> {
    const run = await this.db.dispatchRun.findUnique({
      where: { tenantId_orderId: { tenantId: this.tenantId, orderId } },
      select: { orderId: true },
    });
    return run !== null;
  }

  /** Runs in a state (e.g. needs_staff: the staff console's to-do list), oldest first. */
  runs(state: string): Promise<DispatchRun[]> {
    return this.db.dispatchRun.findMany({
      where: { tenantId: this.tenantId, state },
      orderBy: { updatedAt: 'asc' },
      take: 200,
    });
  }

  /**
   * The order's dispatch run, created on first use and row-locked until the transaction ends:
   * every step of one order's dispatch goes through this lock, so steps never interleave. It is
   * the FIRST lock of any unit of work on the order (README.md, "Lock order").
   */
  async lockRun(orderId: string, mode: DispatchMode): Promise<DispatchRun> {
    await this.ensureRun(orderId, mode);
    await this.db.$queryRaw`
      SELECT 1 FROM dispatch_runs WHERE tenant_id = ${this.tenantId}::uuid AND order_id = ${orderId}::uuid FOR UPDATE`;
    return this.db.dispatchRun.findUniqueOrThrow({ where: { tenantId_orderId: { tenantId: this.tenantId, orderId } } });
  }

  /**
   * lockRun without waiting: false while another unit of work holds the run (a claim in flight,
   * a dispatch step). The caller retries outside its transaction instead of queueing on the lock.
   * One statement: the run is created on first use with the store's mode (its settings row, else
   * `defaultMode`); a run this statement created is ours until commit (others cannot lock it), an
   * existing one is locked with SKIP LOCKED. The row we just inserted is invisible to the locking
   * CTE's snapshot, hence the sum.
   */
  async tryLockRun(orderId: string, defaultMode: DispatchMode): Promise<boolean> {
    const rows = await this.db.$queryRaw<Array<{ held: number }>>`
      WITH created AS (
        INSERT INTO dispatch_runs (tenant_id, order_id, mode)
        VALUES (${this.tenantId}::uuid, ${orderId}::uuid,
                coalesce((SELECT mode FROM dispatch_settings WHERE tenant_id = ${this.tenantId}::uuid), ${defaultMode}))
        ON CONFLICT (tenant_id, order_id) DO NOTHING
        RETURNING 1),
      locked AS (
        SELECT 1 FROM dispatch_runs WHERE tenant_id = ${this.tenantId}::uuid AND order_id = ${orderId}::uuid
           FOR UPDATE SKIP LOCKED)
      SELECT ((SELECT count(*) FROM created) + (SELECT count(*) FROM locked))::int AS held`;
    return (rows[0]?.held ?? 0) > 0;
  }

  /** ON CONFLICT DO NOTHING never waits on a lock held on the existing row. */
  private async ensureRun(orderId: string, mode: DispatchMode): Promise<void> {
    await this.db.$executeRaw`
      INSERT INTO dispatch_runs (tenant_id, order_id, mode) VALUES (${this.tenantId}::uuid, ${orderId}::uuid, ${mode})
      ON CONFLICT (tenant_id, order_id) DO NOTHING`;
  }

  updateRun(orderId: string, data: Prisma.DispatchRunUncheckedUpdateInput): Promise<DispatchRun> {
    return this.db.dispatchRun.update({ where: { tenantId_orderId: { tenantId: this.tenantId, orderId } }, data });
  }

  findOffer(id: string): Promise<DispatchOffer | null> {
    return this.db.dispatchOffer.findUnique({ where: { tenantId_id: { tenantId: this.tenantId, id } } });
  }

  /** Inserts an offer; null when this (order, technician, round) or an open offer already exists. */
  async insertOffer(o: {
    orderId: string;
    technicianId: string;
    round: number;
    stepIndex: number;
    radiusM: number;
    score: number;
    expiresAt: Date;
  }): Promise<DispatchOffer | null> {
    const rows = await this.db.$queryRaw<Array<{ id: string }>>`
      INSERT INTO dispatch_offers (tenant_id, order_id, technician_id, round, step_index, radius_m, score, offered_at, expires_at)
      VALUES (${this.tenantId}::uuid, ${o.orderId}::uuid, ${o.technicianId}::uuid, ${o.round}, ${o.stepIndex}, ${o.radiusM},
              ${o.score}, now(), ${o.expiresAt}::timestamptz)
      ON CONFLICT DO NOTHING RETURNING id`;
    return rows[0] ? this.findOffer(rows[0].id) : null;
  }

  /** Closes an open offer; false when it was no longer open. */
  async closeOffer(id: string, status: 'accepted' | 'declined' | 'expired' | 'withdrawn'): Promise<boolean> {
    const r = await this.db.dispatchOffer.updateMany({
      where: { tenantId: this.tenantId, id, status: 'offered' },
      data: { status, respondedAt: new Date() },
    });
    return r.count > 0;
  }

  openOffers(orderId: string): Promise<DispatchOffer[]> {
    return this.db.dispatchOffer.findMany({ where: { tenantId: this.tenantId, orderId, status: 'offered' } });
  }

  async offeredTechnicianIds(orderId: string): Promise<Set<string>> {
    const rows = await this.db.dispatchOffer.findMany({
      where: { tenantId: this.tenantId, orderId },
      select: { technicianId: true },
    });
    return new Set(rows.map((r) => r.technicianId));
  }

  offersOf(technicianId: string, status?: string): Promise<DispatchOffer[]> {
    return this.db.dispatchOffer.findMany({
      where: { tenantId: this.tenantId, technicianId, ...(status ? { status } : {}) },
      orderBy: { offeredAt: 'desc' },
      take: 100,
    });
  }

  /**
   * The assignment's bookkeeping in one statement: withdraws the order's open offers (but
   * `keepOfferId`, the one accepted), logs each withdrawal and then `e` (in that order), and ends
   * the run as `assigned`. The assignment holds the run lock, so the run exists; throws if not, as
   * updateRun would. Returns the withdrawn offers (their technicians are told).
   */
  async assigned(
    e: LogEntry & { kind: 'assigned' },
    keepOfferId: string | null,
  ): Promise<Array<{ id: string; technicianId: string }>> {
    const rows = await this.db.$queryRaw<Array<{ id: string | null; technicianId: string | null; runs: number }>>`
      WITH withdrawn AS (
        UPDATE dispatch_offers SET status = 'withdrawn', responded_at = now()
         WHERE tenant_id = ${this.tenantId}::uuid AND order_id = ${e.orderId}::uuid AND status = 'offered'
           AND id IS DISTINCT FROM ${keepOfferId}::uuid
        RETURNING id, technician_id),
      run AS (
        UPDATE dispatch_runs SET state = 'assigned'
         WHERE tenant_id = ${this.tenantId}::uuid AND order_id = ${e.orderId}::uuid
        RETURNING 1),
      entries AS (
        INSERT INTO dispatch_log (tenant_id, order_id, kind, technician_id, reason_code, details, actor_type, actor_id)
        SELECT ${this.tenantId}::uuid, ${e.orderId}::uuid, x.kind, x.technician_id, x.reason_code, x.details,
               x.actor_type, x.actor_id
          FROM (SELECT 0 AS ord, 'withdrawn' AS kind, w.technician_id, 'assigned_elsewhere' AS reason_code,
                       jsonb_build_object('offerId', w.id) AS details, 'system' AS actor_type, NULL::text AS actor_id
                  FROM withdrawn w
                UNION ALL
                SELECT 1, ${e.kind}, ${e.technicianId ?? null}::uuid, ${e.reasonCode ?? null},
                       ${JSON.stringify(e.details ?? {})}::jsonb, ${e.actorType}, ${e.actorId ?? null}::text) x
         ORDER BY x.ord
        RETURNING 1)
      SELECT w.id, w.technician_id AS "technicianId", (SELECT count(*) FROM run)::int AS runs,
             (SELECT count(*) FROM entries)::int AS entries
        FROM (SELECT 1) one LEFT JOIN withdrawn w ON true`;
    if (rows[0]?.runs !== 1) throw new Error(`no dispatch run for order ${e.orderId}`);
    return rows.flatMap((r) => (r.id && r.technicianId ? [{ id: r.id, technicianId: r.technicianId }] : []));
  }

  async log(entries: readonly LogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.db.dispatchLog.createMany({
      data: entries.map((e) => ({
        tenantId: this.tenantId,
        orderId: e.orderId,
        kind: e.kind,
        technicianId: e.technicianId ?? null,
        score: e.score ?? undefined,
        reasonCode: e.reasonCode ?? null,
        details: e.details ?? {},
        actorType: e.actorType,
        actorId: e.actorId ?? null,
      })),
    });
  }

  logOf(orderId: string): Promise<DispatchLog[]> {
    return this.db.dispatchLog.findMany({ where: { tenantId: this.tenantId, orderId }, orderBy: { seq: 'asc' } });
  }
}
