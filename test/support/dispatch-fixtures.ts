import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { DISPATCH_QUEUE } from '../../src/modules/dispatch/dispatch-jobs';
import { TenantContext } from '../../src/platform/database/tenant-context';
import { JobQueue } from '../../src/platform/queue/job-queue';
import { OrdersPaymentPort } from '../../src/modules/orders/orders-payment.port';
import type { Factory, TestTenant } from './factories';
import type { TestApp } from './test-app';
import { CENTRE, orderCustomer, orderStore, tomorrowAt, type OrderStore } from './order-fixtures';

/** Degrees of latitude per km (north of the store centre). */
export const KM = 1 / 111.2;

export interface TechOptions {
  name: string;
  km?: number;
  online?: boolean;
  skills?: string[];
  status?: string;
  shifts?: boolean;
  rating?: number | null;
}

/** Polls until `check` holds (or fails after `ms`). */
export async function eventually(check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Fires a delayed dispatch job now instead of waiting for its delay (the worker runs it as it
 * would at its time) and resolves with the handler's answer. `match` picks the job by its payload.
 */
export async function fireDispatchJob(app: TestApp, name: string, match: Record<string, unknown>): Promise<unknown> {
  const queue = app.app.get(JobQueue).queue(DISPATCH_QUEUE);
  let job: Awaited<ReturnType<typeof queue.getDelayed>>[number] | undefined;
  await eventually(async () => {
    const delayed = await queue.getDelayed();
    job = delayed.find(
      (j) => j.name === name && Object.entries(match).every(([k, v]) => (j.data as Record<string, unknown>)[k] === v),
    );
    return job !== undefined;
  }, 10_000);
  await job!.promote();
  await eventually(async () => (await queue.getJob(job!.id!))?.finishedOn !== undefined, 10_000);
  return (await queue.getJob(job!.id!))!.returnvalue;
}

/** A store ready to dispatch: a service requiring `tuina`, technicians on shift all week, dispatch rules. */
export class DispatchWorld {
  techs = new Map<string, string>();
  private constructor(
    readonly f: Factory,
    readonly a: TestTenant,
    readonly store: OrderStore,
    readonly owner: string,
  ) {}

  static async create(f: Factory, settings: Record<string, unknown>): Promise<DispatchWorld> {
    const a = await f.newTenant();
    const store = await orderStore(f, a);
    await f.query(`UPDATE services SET required_skills = '{tuina}' WHERE tenant_id = $1 AND id = $2`, [
      a.id,
      store.serviceId,
    ]);
    const staff = await f.newStaff(a, { role: 'tenant_owner' });
    const owner = await f.token({ id: staff.id, role: 'tenant_owner', tenantId: a.id });
    const w = new DispatchWorld(f, a, store, owner);
    await f.query(
      `INSERT INTO dispatch_settings (tenant_id, mode, offer_timeout_seconds, radius_steps_m)
       VALUES ($1, $2, $3, $4)`,
      [a.id, settings.mode ?? 'auto', settings.offerTimeoutSeconds ?? 60, settings.radiusStepsM ?? [2000, 8000]],
    );
    return w;
  }

  async tech(o: TechOptions): Promise<string> {
    const t = await this.f.newTechnician(this.a, {
      status: o.status ?? 'approved',
      name: o.name,
      skills: o.skills ?? ['tuina'],
    });
    const online = o.online ?? (o.status ?? 'approved') === 'approved';
    await this.f.query(
      `UPDATE technicians SET home_lat = $3, home_lng = $4, online = $5, rating_avg = $6 WHERE tenant_id = $1 AND id = $2`,
      [this.a.id, t.id, CENTRE.lat + (o.km ?? 1) * KM, CENTRE.lng, online, o.rating ?? 4.5],
    );
    if (o.shifts ?? true) {
      // On shift around the clock but for one minute a day. The minute off sits three hours before
      // now (store time), so no order the tests place in the coming hours ever straddles it,
      // whatever time of day the suite runs.
      await this.f.query(
        `INSERT INTO shift_templates (tenant_id, technician_id, weekday, start_time, end_time)
         SELECT $1, $2, d,
                date_trunc('minute', now() AT TIME ZONE 'Asia/Shanghai' - interval '3 hours')::time,
                date_trunc('minute', now() AT TIME ZONE 'Asia/Shanghai' - interval '3 hours 1 minute')::time
           FROM generate_series(1, 7) d`,
        [this.a.id, t.id],
      );
    }
    this.techs.set(o.name, t.id);
    return t.id;
  }

  id(name: string): string {
    const id = this.techs.get(name);
    if (!id) throw new Error(`no technician ${name}`);
    return id;
  }

  name(id: string | null): string {
    for (const [n, i] of this.techs) if (i === id) return n;
    return String(id);
  }

  techToken(app: TestApp, name: string): Promise<string> {
    return this.f.token({ id: this.id(name), role: 'technician', tenantId: this.a.id });
  }

  customer(app: TestApp) {
    return orderCustomer(this.f, app.app, this.a);
  }

  /** A booked order (no technician chosen); `pay` then moves it to dispatching. */
  async order(app: TestApp, c: { token: string; addressId: string }, hourUtc = 4) {
    const inject = (path: string, payload: object, headers: Record<string, string> = {}) =>
      app.app.inject({
        method: 'POST',
        url: `/t/${this.a.slug}/api/${path}`,
        headers: { authorization: `Bearer ${c.token}`, ...headers },
        payload,
      });
    const q = await inject('quotes', {
      serviceId: this.store.serviceId,
      durationMinutes: 60,
      addressId: c.addressId,
      startAt: tomorrowAt(hourUtc),
    });
    expect(q.statusCode, q.body).toBe(201);
    const o = await inject(
      'orders',
      { quoteId: q.json().id, paymentMethod: 'sandbox' },
      { 'idempotency-key': randomUUID() },
    );
    expect(o.statusCode, o.body).toBe(201);
    return { id: o.json<{ id: string }>().id, totalFen: q.json<{ totalFen: number }>().totalFen };
  }

  pay(app: TestApp, order: { id: string; totalFen: number }) {
    return app.app
      .get(TenantContext)
      .run(this.a.id, () =>
        app.app.get(OrdersPaymentPort).markPaid(order.id, { paymentId: randomUUID(), amountFen: order.totalFen }),
      );
  }

  async log(orderId: string) {
    const { rows } = await this.f.query<{
      kind: string;
      technician_id: string | null;
      reason_code: string | null;
      details: Record<string, unknown>;
    }>(`SELECT kind, technician_id, reason_code, details FROM dispatch_log WHERE order_id = $1 ORDER BY seq`, [
      orderId,
    ]);
    return rows;
  }

  /** The decisions of the chain, e.g. `offered:T1`, `declined:T1`, `escalated`, `assigned:T3`. */
  async story(
    orderId: string,
    kinds = [
      'offered',
      'declined',
      'expired',
      'escalated',
      'assigned',
      'grab_opened',
      'needs_staff',
      'withdrawn',
      'reassigned',
      'pool_published',
      'pool_taken',
    ],
  ) {
    return (await this.log(orderId))
      .filter((r) => kinds.includes(r.kind))
      .map((r) => (r.technician_id ? `${r.kind}:${this.name(r.technician_id)}` : r.kind));
  }

  /**
   * The open offer's deadline passes (as if its timeout had elapsed) and its timeout job fires:
   * what the chain does next is awaited, no real time goes by.
   */
  async expireOpenOffer(app: TestApp, orderId: string): Promise<unknown> {
    const offer = await this.openOffer(orderId);
    if (!offer) throw new Error('no open offer');
    await this.f.query(
      `UPDATE dispatch_offers SET offered_at = now() - interval '1 hour', expires_at = now() - interval '1 second'
        WHERE id = $1`,
      [offer.id],
    );
    return fireDispatchJob(app, 'dispatch.offer_timeout', { offerId: offer.id });
  }

  async openOffer(orderId: string) {
    const { rows } = await this.f.query<{ id: string; technician_id: string }>(
      `SELECT id, technician_id FROM dispatch_offers WHERE order_id = $1 AND status = 'offered'`,
      [orderId],
    );
    return rows[0] ? { id: rows[0].id, technician: this.name(rows[0].technician_id) } : null;
  }
}
