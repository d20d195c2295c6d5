import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RefundRequestsService } from '../src/modules/payments/refund-requests.service';
import { PaymentProviderRegistry } from '../src/modules/payments/payment-provider.registry';
import { ReconciliationService } from '../src/modules/payments/reconciliation.service';
import { Factory, type TestTenant } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { orderCustomer, orderStore, orderTechnician, type OrderStore } from './support/order-fixtures';
import { bookOrder, signedSandboxRefundCallback, storeCaller, topUpWallet } from './support/payment-fixtures';

describe('refunds', () => {
  let db: TestDatabase;
  let t: TestApp;
  let f: Factory;
  let a: TestTenant;
  let b: TestTenant;
  let storeA: OrderStore;
  let storeB: OrderStore;
  let call: ReturnType<typeof storeCaller>;
  const tok: Record<string, string> = {};
  const staffId: Record<string, string> = {};

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await createTestApp(db, { DB_POOL_MAX: '10', RUN_WORKERS: 'false' });
    f = await Factory.create(db, t.app);
    call = storeCaller(t.app);
    a = await f.newTenant();
    b = await f.newTenant();
    storeA = await orderStore(f, a);
    storeB = await orderStore(f, b);
    // Every cancellation inside a week costs 20 % (so cancelling leaves money to refund by hand).
    await f.query(
      `INSERT INTO order_settings (tenant_id, free_cancel_minutes, cancellation_fees) VALUES ($1, 10080, '[{"withinMinutes": 10080, "feePercent": 20}]')`,
      [a.id],
    );
    await f.query(
      `INSERT INTO order_settings (tenant_id, free_cancel_minutes, cancellation_fees) VALUES ($1, 10080, '[{"withinMinutes": 10080, "feePercent": 20}]')`,
      [b.id],
    );
    for (const [name, tenant, role] of [
      ['ownerA', a, 'tenant_owner'],
      ['managerA', a, 'store_manager'],
      ['staffA', a, 'store_staff'],
      ['ownerB', b, 'tenant_owner'],
    ] as const) {
      const s = await f.newStaff(tenant, { role });
      tok[name] = await f.token({ id: s.id, role, tenantId: tenant.id });
      staffId[name] = s.id;
    }
  });
  afterAll(async () => {
    await f?.close();
    await t?.close();
    await db?.drop();
  });

  const orderRow = async (id: string) => (await f.query(`SELECT * FROM orders WHERE id = $1`, [id])).rows[0]!;
  const sweep = (tenant: TestTenant) => t.app.get(RefundRequestsService).executePending(tenant.id);
  const ledgerNet = async (orderId: string) =>
    Number(
      (
        await f.query(
          `SELECT coalesce(sum(e.amount_fen), 0) AS net FROM journal_entries e JOIN journal_transactions x ON x.id = e.transaction_id
            WHERE x.order_id = $1 AND x.kind IN ('payment', 'cash_collection', 'refund')
              AND (e.account LIKE 'clearing:%' OR e.account LIKE 'customer_wallet:%' OR e.account LIKE 'cash_on_hand:%')`,
          [orderId],
        )
      ).rows[0]!.net,
    );

  /** A paid order (sandbox or balance) of a fresh customer. */
  async function paidOrder(store: OrderStore, method: 'sandbox' | 'balance' = 'sandbox') {
    const c = await orderCustomer(f, t.app, store.tenant);
    const order = await bookOrder(t.app, store, c, { paymentMethod: method });
    if (method === 'balance') await topUpWallet(t.app, store.tenant.id, c.id, order.totalFen);
    const pay = await call('POST', store.tenant, `orders/${order.id}/pay`, c.token, { method });
    expect(pay.statusCode, pay.body).toBe(200);
    if (method === 'sandbox') {
      const done = await t.app.inject({ method: 'POST', url: `${new URL(pay.json().next.url).pathname}/pay` });
      expect(done.statusCode, done.body).toBe(200);
    }
    expect((await orderRow(order.id)).paid_fen).toBe(order.totalFen);
    return { c, order };
  }

  async function cancelled(store: OrderStore, method: 'sandbox' | 'balance' = 'sandbox') {
    const p = await paidOrder(store, method);
    const res = await call('POST', store.tenant, `orders/${p.order.id}/cancel`, p.c.token, { reason: '临时有事' });
    expect(res.statusCode, res.body).toBe(200);
    return p;
  }

  it('a cancellation’s refund request is executed at once, once: refund to the customer, fee split to the store, ledger net = paid − refunded', async () => {
    const { order } = await cancelled(storeA);
    const fee = Math.floor(order.totalFen * 0.2);
    // executed right after the cancellation committed, before its response: the sweep finds nothing
    expect((await f.query(`SELECT status FROM refund_requests WHERE order_id = $1`, [order.id])).rows).toEqual([
      { status: 'executed' },
    ]);
    expect(await sweep(a)).toBe(0);
    const o = await orderRow(order.id);
    expect(o).toMatchObject({ status: 'partially_refunded', refunded_fen: order.totalFen - fee });
    expect(await ledgerNet(order.id)).toBe(o.paid_fen - o.refunded_fen);
    const kinds = await f.query(`SELECT kind FROM journal_transactions WHERE order_id = $1 ORDER BY created_at`, [
      order.id,
    ]);
    expect(kinds.rows.map((r) => r.kind).sort()).toEqual(['cancellation_fee', 'payment', 'refund']);
    const held = await f.query(
      `SELECT coalesce(sum(amount_fen), 0)::int AS s FROM journal_entries WHERE account = $1`,
      [`order_liability:${order.id}`],
    );
    expect(held.rows[0]!.s).toBe(0);
    const req = await f.query(`SELECT status FROM refund_requests WHERE order_id = $1`, [order.id]);
    expect(req.rows).toEqual([{ status: 'executed' }]);
  });

  it('refund above what is refundable → 400 naming amountFen; nothing written', async () => {
    const { order } = await cancelled(storeA);
    await sweep(a);
    const left = order.totalFen - (await orderRow(order.id)).refunded_fen;
    const res = await call('POST', a, `orders/${order.id}/refunds`, tok.managerA!, {
      amountFen: left + 1,
      reason: '补偿',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().fields[0].field).toBe('amountFen');
    expect((await f.query(`SELECT count(*) FROM refunds WHERE order_id = $1`, [order.id])).rows[0]!.count).toBe('1');
    const bad = await call('POST', a, `orders/${order.id}/refunds`, tok.managerA!, { amountFen: -5, reason: '' });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .fields.map((x: { field: string }) => x.field)
        .sort(),
    ).toEqual(['amountFen', 'reason']);
  });

  it('an order that is paid but not cancelled or completed cannot be refunded (409)', async () => {
    const { order } = await paidOrder(storeA);
    const res = await call('POST', a, `orders/${order.id}/refunds`, tok.ownerA!, { amountFen: 100, reason: 'x' });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('ORDER_NOT_REFUNDABLE');
  });

  it('within policy (manager) executes at once; the fee kept can be given back in full', async () => {
    const { order } = await cancelled(storeA, 'balance');
    await sweep(a);
    const left = order.totalFen - (await orderRow(order.id)).refunded_fen;
    const res = await call('POST', a, `orders/${order.id}/refunds`, tok.managerA!, {
      amountFen: left,
      reason: '门店承担 / store waives fee',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ status: 'succeeded', withinPolicy: true });
    const o = await orderRow(order.id);
    expect(o).toMatchObject({ status: 'refunded', refunded_fen: order.totalFen });
    expect(await ledgerNet(order.id)).toBe(0);
    // balance refunds go back to the wallet
    const wallet = await f.query(`SELECT -sum(amount_fen)::int AS bal FROM journal_entries WHERE account = $1`, [
      `customer_wallet:${o.customer_id}`,
    ]);
    expect(wallet.rows[0]!.bal).toBe(order.totalFen);
  });

  it('beyond policy (customer) waits; only managers/owners approve or reject; approving twice changes nothing', async () => {
    const { c, order } = await cancelled(storeA);
    await sweep(a);
    const ask = await call('POST', a, `orders/${order.id}/refunds`, c.token, { amountFen: 100, reason: '服务不满意' });
    expect(ask.statusCode, ask.body).toBe(201);
    expect(ask.json()).toMatchObject({ status: 'requested', withinPolicy: false });
    const id = ask.json().id as string;
    expect((await call('POST', a, `refunds/${id}/approve`, c.token)).statusCode).toBe(403);
    expect((await call('POST', a, `refunds/${id}/approve`, tok.staffA!)).statusCode).toBe(403);
    const before = (await orderRow(order.id)).refunded_fen;
    const [r1, r2] = await Promise.all([
      call('POST', a, `refunds/${id}/approve`, tok.managerA!),
      call('POST', a, `refunds/${id}/approve`, tok.ownerA!),
    ]);
    expect([r1.statusCode, r2.statusCode]).toEqual([200, 200]);
    expect((await orderRow(order.id)).refunded_fen).toBe(before + 100);
    expect((await call('POST', a, `refunds/${id}/reject`, tok.managerA!)).statusCode).toBe(409);
    const list = await call('GET', a, 'refunds?status=succeeded', tok.managerA!);
    expect(list.json().map((r: { id: string }) => r.id)).toContain(id);
    const ask2 = await call('POST', a, `orders/${order.id}/refunds`, c.token, { amountFen: 50, reason: '再退一点' });
    const rej = await call('POST', a, `refunds/${ask2.json().id}/reject`, tok.ownerA!);
    expect(rej.json().status).toBe('rejected');
    expect((await orderRow(order.id)).refunded_fen).toBe(before + 100);
  });

  it('two parallel manager refunds cannot together exceed what was paid', async () => {
    const { order } = await cancelled(storeA);
    await sweep(a);
    const left = order.totalFen - (await orderRow(order.id)).refunded_fen;
    const res = await Promise.all(
      [1, 2].map(() =>
        call('POST', a, `orders/${order.id}/refunds`, tok.managerA!, { amountFen: left, reason: '并发' }),
      ),
    );
    expect(res.map((r) => r.statusCode).sort()).toEqual([201, 400]);
    expect((await orderRow(order.id)).refunded_fen).toBe(order.totalFen);
  });

  describe('refunds the provider settles later (sandbox holding them processing)', () => {
    const sandbox = () => t.app.get(PaymentProviderRegistry).sandbox!;
    const reconcileLater = () => t.app.get(ReconciliationService).run(a.id, new Date(Date.now() + 60 * 60_000));
    const refundOf = async (orderId: string) =>
      (await f.query(`SELECT * FROM refunds WHERE order_id = $1`, [orderId])).rows[0]!;
    const liability = async (orderId: string) =>
      (
        await f.query(`SELECT coalesce(sum(amount_fen), 0)::int AS s FROM journal_entries WHERE account = $1`, [
          `order_liability:${orderId}`,
        ])
      ).rows[0]!.s as number;
    const postCallback = (cb: { headers: Record<string, string>; body: string }) =>
      t.app.inject({
        method: 'POST',
        url: `/t/${a.slug}/api/payments/callbacks/sandbox`,
        headers: cb.headers,
        payload: cb.body,
      });

    async function cancelledProcessing() {
      sandbox().refundsSettleLater = true;
      try {
        const p = await cancelled(storeA);
        const refund = await refundOf(p.order.id);
        expect(refund.status).toBe('processing');
        // the cancellation's request waits for its refund; the sweep cannot finish it either
        expect(await sweep(a)).toBe(0);
        const req = await f.query(`SELECT status FROM refund_requests WHERE order_id = $1`, [p.order.id]);
        expect(req.rows).toEqual([{ status: 'pending' }]);
        return { ...p, refund };
      } finally {
        sandbox().refundsSettleLater = false;
      }
    }

    it('the reconciliation query completes a processing refund: booked once, fee split, request executed, ledger balanced', async () => {
      const { order, refund } = await cancelledProcessing();
      expect((await reconcileLater()).refundsApplied).toBe(0); // still processing at the gateway
      sandbox().settleRefund(refund.out_refund_no, 'succeeded', new Date());
      const s = await reconcileLater();
      expect(s.refundsApplied).toBe(1);
      expect((await refundOf(order.id)).status).toBe('succeeded');
      const o = await orderRow(order.id);
      expect(o).toMatchObject({ status: 'partially_refunded', refunded_fen: refund.amount_fen });
      expect(await ledgerNet(order.id)).toBe(o.paid_fen - o.refunded_fen);
      expect(await liability(order.id)).toBe(0); // refund out, fee to store and technician
      const kinds = await f.query(`SELECT kind FROM journal_transactions WHERE order_id = $1`, [order.id]);
      expect(kinds.rows.map((r) => r.kind).sort()).toEqual(['cancellation_fee', 'payment', 'refund']);
      const req = await f.query(`SELECT status FROM refund_requests WHERE order_id = $1`, [order.id]);
      expect(req.rows).toEqual([{ status: 'executed' }]);
      expect((await reconcileLater()).refundsApplied).toBe(0);
      expect(await ledgerNet(order.id)).toBe(o.paid_fen - o.refunded_fen);
    });

    it('a signed refund notification completes it (replays change nothing); a forged one is refused', async () => {
      const { order, refund } = await cancelledProcessing();
      const n = sandbox().settleRefund(refund.out_refund_no, 'succeeded', new Date());
      const forged = await postCallback(signedSandboxRefundCallback(t.app, a.id, n, { key: 'f'.repeat(64) }));
      expect(forged.statusCode).toBe(400);
      expect((await refundOf(order.id)).status).toBe('processing');
      const cb = signedSandboxRefundCallback(t.app, a.id, n);
      const replies = await Promise.all([1, 2, 3].map(() => postCallback(cb)));
      expect(replies.map((r) => r.statusCode)).toEqual([200, 200, 200]);
      expect((await refundOf(order.id)).status).toBe('succeeded');
      expect((await orderRow(order.id)).refunded_fen).toBe(refund.amount_fen);
      const refunds = await f.query(
        `SELECT count(*)::int AS n FROM journal_transactions WHERE order_id = $1 AND kind = 'refund'`,
        [order.id],
      );
      expect(refunds.rows[0]!.n).toBe(1);
    });

    it('a refund the gateway fails: failed, staff alerted, no refund booked, the money still held by the order', async () => {
      const { order, refund } = await cancelledProcessing();
      sandbox().settleRefund(refund.out_refund_no, 'failed', new Date());
      await reconcileLater();
      expect((await refundOf(order.id)).status).toBe('failed');
      const o = await orderRow(order.id);
      expect(o.refunded_fen).toBe(0);
      expect(await ledgerNet(order.id)).toBe(o.paid_fen);
      expect(await liability(order.id)).toBe(-o.paid_fen);
      const staff = await f.query(
        `SELECT recipient_type FROM notifications WHERE template = 'staff.refund_failed' AND order_id = $1`,
        [order.id],
      );
      expect(staff.rows.length).toBeGreaterThan(0);
      expect(staff.rows.every((r) => r.recipient_type === 'staff')).toBe(true);
    });
  });

  describe('到付 refunds: the cash handed back, recorded by staff', () => {
    const refundOf = async (orderId: string) =>
      (await f.query(`SELECT * FROM refunds WHERE order_id = $1`, [orderId])).rows[0]!;
    const refundTxs = async (orderId: string) =>
      (
        await f.query(
          `SELECT e.account, e.amount_fen::int AS amount FROM journal_entries e
             JOIN journal_transactions x ON x.tenant_id = e.tenant_id AND x.id = e.transaction_id
            WHERE x.order_id = $1 AND x.kind = 'refund' ORDER BY e.line_no`,
          [orderId],
        )
      ).rows;

    /** A 到付 order whose cash the technician collected, then cancelled by the customer. */
    async function cashCancelled(store: OrderStore = storeA) {
      const c = await orderCustomer(f, t.app, store.tenant);
      const techId = await orderTechnician(f, store.tenant);
      const techTok = await f.token({ id: techId, role: 'technician', tenantId: store.tenant.id });
      const order = await bookOrder(t.app, store, c, { paymentMethod: 'on_arrival', technicianId: techId });
      const collected = await call('POST', store.tenant, `orders/${order.id}/cash-collected`, techTok);
      expect(collected.statusCode, collected.body).toBe(200);
      const cancel = await call('POST', store.tenant, `orders/${order.id}/cancel`, c.token, { reason: '临时有事' });
      expect(cancel.statusCode, cancel.body).toBe(200);
      return { c, order, techId, techTok };
    }

    it('the refund waits for the cash; staff record the hand-back (reference, who, when): booked once, fee split, customer told', async () => {
      const { order } = await cashCancelled();
      const waiting = await refundOf(order.id);
      expect(waiting).toMatchObject({ status: 'processing', cash_reference: null });
      expect(await refundTxs(order.id)).toEqual([]);
      expect(await sweep(a)).toBe(0); // nothing the job can do: the cash is in the store's hands
      const listed = await call('GET', a, 'refunds?status=processing', tok.managerA!);
      expect(listed.json().map((r: { id: string }) => r.id)).toContain(waiting.id);

      const at = new Date(Date.now() - 3_600_000);
      const res = await call('POST', a, `refunds/${waiting.id}/cash-handover`, tok.staffA!, {
        reference: 'SJ-20261125-07',
        handedBackAt: at.toISOString(),
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({
        status: 'succeeded',
        cashHandover: { reference: 'SJ-20261125-07', handedBackBy: staffId.staffA, handedBackAt: at.toISOString() },
      });
      // the refund leaves through the store's cash, out of what the order held
      expect(await refundTxs(order.id)).toEqual([
        { account: `order_liability:${order.id}`, amount: waiting.amount_fen },
        { account: 'clearing:cash', amount: -waiting.amount_fen },
      ]);
      const o = await orderRow(order.id);
      expect(o).toMatchObject({ status: 'partially_refunded', refunded_fen: waiting.amount_fen });
      expect(await ledgerNet(order.id)).toBe(o.paid_fen - o.refunded_fen);
      const held = await f.query(
        `SELECT coalesce(sum(amount_fen), 0)::int AS s FROM journal_entries WHERE account = $1`,
        [`order_liability:${order.id}`],
      );
      expect(held.rows[0]!.s).toBe(0); // the fee was split once the refund was done
      expect((await f.query(`SELECT status FROM refund_requests WHERE order_id = $1`, [order.id])).rows).toEqual([
        { status: 'executed' },
      ]);
      const told = await f.query(
        `SELECT recipient_type FROM notifications WHERE template = 'order.refunded' AND order_id = $1`,
        [order.id],
      );
      expect(told.rows).toEqual([{ recipient_type: 'customer' }]);
      const audit = await f.query(
        `SELECT actor_id FROM audit_events WHERE action = 'payments.cash_refund_handed_back' AND target_id = $1`,
        [waiting.id],
      );
      expect(audit.rows).toEqual([{ actor_id: staffId.staffA }]);

      // the same record again changes nothing; another reference is a conflict
      const again = await call('POST', a, `refunds/${waiting.id}/cash-handover`, tok.managerA!, {
        reference: 'SJ-20261125-07',
      });
      expect(again.statusCode).toBe(200);
      expect(again.json().cashHandover.handedBackBy).toBe(staffId.staffA);
      const other = await call('POST', a, `refunds/${waiting.id}/cash-handover`, tok.managerA!, { reference: 'SJ-X' });
      expect(other.statusCode).toBe(409);
      expect(other.json().code).toBe('CASH_ALREADY_HANDED_BACK');
      expect(await refundTxs(order.id)).toHaveLength(2);
    });

    it('two staff recording at once: one hand-back, one journal entry', async () => {
      const { order } = await cashCancelled();
      const waiting = await refundOf(order.id);
      const res = await Promise.all([
        call('POST', a, `refunds/${waiting.id}/cash-handover`, tok.staffA!, { reference: 'R-1' }),
        call('POST', a, `refunds/${waiting.id}/cash-handover`, tok.managerA!, { reference: 'R-2' }),
      ]);
      expect(res.map((r) => r.statusCode).sort()).toEqual([200, 409]);
      expect(await refundTxs(order.id)).toHaveLength(2);
      expect((await orderRow(order.id)).refunded_fen).toBe(waiting.amount_fen);
    });

    it('roles, validation, other stores: customers and technicians 403, another store 404/403; not cash or not waiting → 409; bad fields → 400', async () => {
      const { c, order, techTok } = await cashCancelled();
      const waiting = await refundOf(order.id);
      const path = `refunds/${waiting.id}/cash-handover`;
      expect((await call('POST', a, path, c.token, { reference: 'R' })).statusCode).toBe(403);
      expect((await call('POST', a, path, techTok, { reference: 'R' })).statusCode).toBe(403);
      expect((await call('POST', a, path, tok.ownerB!, { reference: 'R' })).statusCode).toBe(403);
      const viaB = await call('POST', b, path, tok.ownerB!, { reference: 'R' });
      expect(viaB.statusCode).toBe(404);
      expect(viaB.json().code).toBe('REFUND_NOT_FOUND');

      const bad = await call('POST', a, path, tok.staffA!, {
        reference: '',
        handedBackAt: new Date(Date.now() + 86_400_000).toISOString(),
      });
      expect(bad.statusCode).toBe(400);
      expect(
        bad
          .json()
          .fields.map((x: { field: string }) => x.field)
          .sort(),
      ).toEqual(['handedBackAt', 'reference']);
      expect((await refundOf(order.id)).status).toBe('processing');

      // handed back; a customer's further refund of the same order waits for approval: nothing to hand back yet
      expect((await call('POST', a, path, tok.staffA!, { reference: 'R' })).statusCode).toBe(200);
      const ask = await call('POST', a, `orders/${order.id}/refunds`, c.token, { amountFen: 1, reason: '再退一点' });
      expect(ask.statusCode, ask.body).toBe(201);
      const notYet = await call('POST', a, `refunds/${ask.json().id}/cash-handover`, tok.staffA!, { reference: 'R' });
      expect(notYet.statusCode).toBe(409);
      expect(notYet.json().code).toBe('REFUND_NOT_AWAITING_CASH');

      // a refund through a provider is not handed back in cash
      const sandboxOrder = await cancelled(storeA);
      const provider = await refundOf(sandboxOrder.order.id);
      const notCash = await call('POST', a, `refunds/${provider.id}/cash-handover`, tok.staffA!, { reference: 'R' });
      expect(notCash.statusCode).toBe(409);
      expect(notCash.json().code).toBe('NOT_A_CASH_REFUND');
    });
  });

  describe('roles and tenancy', () => {
    it('B’s refunds and orders are 404 through A; A’s token at B is 403; a customer cannot refund another’s order', async () => {
      const { c: cb, order: orderB } = await cancelled(storeB);
      await sweep(b);
      const askB = await call('POST', b, `orders/${orderB.id}/refunds`, cb.token, { amountFen: 1, reason: 'x' });
      expect(askB.statusCode, askB.body).toBe(201);
      const refundB = askB.json().id as string;
      expect((await call('POST', a, `refunds/${refundB}/approve`, tok.ownerA!)).statusCode).toBe(404);
      expect((await call('POST', a, `refunds/${refundB}/reject`, tok.ownerA!)).statusCode).toBe(404);
      expect(
        (await call('POST', a, `orders/${orderB.id}/refunds`, tok.ownerA!, { amountFen: 1, reason: 'x' })).statusCode,
      ).toBe(404);
      expect((await call('GET', a, `orders/${orderB.id}/refunds`, tok.ownerA!)).statusCode).toBe(404);
      expect((await call('POST', b, `refunds/${refundB}/approve`, tok.ownerA!)).statusCode).toBe(403);
      expect((await call('GET', b, 'refunds', tok.ownerA!)).statusCode).toBe(403);
      const other = await orderCustomer(f, t.app, b);
      expect(
        (await call('POST', b, `orders/${orderB.id}/refunds`, other.token, { amountFen: 1, reason: 'x' })).statusCode,
      ).toBe(404);
      expect((await call('GET', b, `orders/${orderB.id}/refunds`, cb.token)).statusCode).toBe(200);
      const techTok = await f.token({
        id: (await f.newTechnician(b, { status: 'approved' })).id,
        role: 'technician',
        tenantId: b.id,
      });
      expect(
        (await call('POST', b, `orders/${orderB.id}/refunds`, techTok, { amountFen: 1, reason: 'x' })).statusCode,
      ).toBe(403);
      expect((await call('GET', b, 'refunds', techTok)).statusCode).toBe(403);
      expect((await call('GET', b, 'refunds', cb.token)).statusCode).toBe(403);
    });
  });
});
