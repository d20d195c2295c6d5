import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Factory } from './support/factories';
import { dispatchingOrder, grabStore, onDutyTechnicians, slotStart, type GrabStore } from './support/grab-fixtures';
import { createTestApp, type TestApp } from './support/test-app';
import { StatementRecorder } from './support/statement-recorder';
import { createTestDatabase, type TestDatabase } from './support/test-database';

/**
 * Round-trip budget of a grab claim: in a storm most claims lose, and each statement a claim sends
 * is a round trip on a pooled connection while the winner's transaction holds the order's locks.
 * Counts every statement the API process sends to PostgreSQL (Prisma's pg adapter and the plain
 * pg pool both go through pg.Client#query) while one claim is in flight and nothing else runs.
 */
const LOSER_BUDGET = 1;
const WINNER_BUDGET = 15;

describe('grab claim round trips', () => {
  let db: TestDatabase;
  let t: TestApp;
  let f: Factory;
  let s: GrabStore;
  let owner: string;
  const recorder = new StatementRecorder();

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await createTestApp(db, { RUN_WORKERS: 'false' });
    f = await Factory.create(db, t.app);
    s = await grabStore(f, t.app, await f.newTenant());
    const staff = await f.newStaff(s.tenant, { role: 'tenant_owner' });
    owner = await f.token({ id: staff.id, role: 'tenant_owner', tenantId: s.tenant.id });
    recorder.install();
  }, 60_000);
  afterAll(async () => {
    recorder.restore();
    await f?.close();
    await t?.close();
    await db?.drop();
  });

  const claim = (orderId: string, token: string) =>
    t.app.inject({
      method: 'POST',
      url: `/t/${s.tenant.slug}/api/grab/orders/${orderId}/claim`,
      headers: { authorization: `Bearer ${token}` },
    });

  async function openOrder(slot: number): Promise<string> {
    const orderId = await dispatchingOrder(f, t.app, s, { startAt: slotStart(slot) });
    const res = await t.app.inject({
      method: 'POST',
      url: `/t/${s.tenant.slug}/api/grab/orders/${orderId}/open`,
      headers: { authorization: `Bearer ${owner}` },
    });
    expect(res.statusCode, res.body).toBe(200);
    return orderId;
  }

  it(`a winning claim sends at most ${WINNER_BUDGET} statements, a losing one ${LOSER_BUDGET}`, async () => {
    const [warm, winner, loser] = await onDutyTechnicians(f, s.tenant, 3);
    // warm the process (tenant directory, session checks, prepared statements) on another order
    const warmOrder = await openOrder(1);
    expect((await claim(warmOrder, warm!.token)).statusCode).toBe(200);
    expect((await claim(warmOrder, loser!.token)).statusCode).toBe(409);

    const orderId = await openOrder(3);
    const won = await recorder.measure(() => claim(orderId, winner!.token));
    expect(won.value.statusCode, won.value.body).toBe(200);
    const lost = await recorder.measure(() => claim(orderId, loser!.token));
    expect(lost.value.statusCode).toBe(409);
    expect(lost.value.json().code).toBe('ALREADY_TAKEN');

    if (process.env.GRAB_ROUND_TRIPS_VERBOSE) {
      process.stdout.write(
        `winner ${won.sql.length}:\n${won.sql.map((q) => `  ${q.replace(/\s+/g, ' ').slice(0, 160)}`).join('\n')}\n`,
      );
      process.stdout.write(
        `loser ${lost.sql.length}:\n${lost.sql.map((q) => `  ${q.replace(/\s+/g, ' ').slice(0, 160)}`).join('\n')}\n`,
      );
    }
    expect(lost.sql.length, lost.sql.join('\n')).toBeLessThanOrEqual(LOSER_BUDGET);
    expect(won.sql.length, won.sql.join('\n')).toBeLessThanOrEqual(WINNER_BUDGET);
  });
});
