import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReconciliationService } from '../src/modules/payments/reconciliation.service';
import { PaymentProviderRegistry } from '../src/modules/payments/payment-provider.registry';
import { Factory, type TestTenant } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { orderCustomer, orderStore, orderTechnician, type OrderStore } from './support/order-fixtures';
import { bookOrder, signedSandboxCallback, storeCaller, topUpWallet } from './support/payment-fixtures';

describe('payments (sandbox, balance, pay on arrival) and the callback path', () => {
  let db: TestDatabase;
  let t: TestApp;
  let f: Factory;
  let a: TestTenant;
  let b: TestTenant;
  let storeA: OrderStore;
  let storeB: OrderStore;
  let call: ReturnType<typeof storeCaller>;
  const tok: Record<string, string> = {};

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await createTestApp(db, { DB_POOL_MAX: '10', RUN_WORKERS: 'false' });
    f = await Factory.create(db, t.app);
    call = storeCaller(t.app);
    a = await f.newTenant();
    b = await f.newTenant();
    storeA = await orderStore(f, a);
    storeB = await orderStore(f, b);
    for (const [name, tenant, role] of [
      ['ownerA', a, 'tenant_owner'],
      ['managerA', a, 'store_manager'],
      ['staffA', a, 'store_staff'],
      ['ownerB', b, 'tenant_owner'],
    ] as const) {
      const s = await f.newStaff(tenant, { role });
      tok[name] = await f.token({ id: s.id, role, tenantId: tenant.id });
    }
  });
  afterAll(async () => {
    await f?.close();
    await t?.close();
    await db?.drop();
  });

  const ledgerTxCount = async (orderId: string) =>
    Number((await f.query(`SELECT count(*) FROM journal_transactions WHERE order_id = $1`, [orderId])).rows[0]!.count);
  const paymentRow = async (id: string) => (await f.query(`SELECT * FROM payments WHERE id = $1`, [id])).rows[0]!;
  const orderRow = async (id: string) => (await f.query(`SELECT * FROM orders WHERE id = $1`, [id])).rows[0]!;

  async function startSandbox(store: OrderStore, c: { token: string; addressId: string }) {
    const order = await bookOrder(t.app, store, c);
    const res = await call('POST', store.tenant, `orders/${order.id}/pay`, c.token, { method: 'sandbox' });
    expect(res.statusCode, res.body).toBe(200);
    return {
      order,
      pay: res.json<{
        payment: { id: string; outTradeNo: string; amountFen: number; status: string };
        next: { kind: string; url: string };
      }>(),
    };
  }

  const postCallback = (tenant: TestTenant, provider: string, cb: { headers: Record<string, string>; body: string }) =>
    t.app.inject({
      method: 'POST',
      url: `/t/${tenant.slug}/api/payments/callbacks/${provider}`,
      headers: cb.headers,
      payload: cb.body,
    });

  it('sandbox: pay → checkout page → Pay sends a signed callback through the callback path; order paid, one ledger transaction', async () => {
    const c = await orderCustomer(f, t.app, a);
    const { order, pay } = await startSandbox(storeA, c);
    expect(pay.next.kind).toBe('redirect');
    expect(pay.next.url).toContain(`/t/${a.slug}/api/payments/sandbox/checkout/${pay.payment.outTradeNo}`);
    const page = await t.app.inject({ method: 'GET', url: new URL(pay.next.url).pathname });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain((order.totalFen / 100).toFixed(2));
    const done = await t.app.inject({ method: 'POST', url: `${new URL(pay.next.url).pathname}/pay` });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toEqual({ code: 'SUCCESS' });
    const p = await paymentRow(pay.payment.id);
    expect(p.status).toBe('succeeded');
    const o = await orderRow(order.id);
    expect(o.status).toBe('dispatching');
    expect(o.paid_fen).toBe(order.totalFen);
    expect(await ledgerTxCount(order.id)).toBe(1);
    const cb = await f.query(`SELECT outcome FROM payment_callbacks WHERE payment_id = $1`, [p.id]);
    expect(cb.rows.map((r) => r.outcome)).toEqual(['applied']);
  });

  it('a valid callback replayed 20 times in parallel: paid once, one ledger transaction, all 20 answered with success', async () => {
    const c = await orderCustomer(f, t.app, a);
    const { order, pay } = await startSandbox(storeA, c);
    const cb = signedSandboxCallback(t.app, a.id, {
      outTradeNo: pay.payment.outTradeNo,
      amountFen: pay.payment.amountFen,
    });
    const replies = await Promise.all(Array.from({ length: 20 }, () => postCallback(a, 'sandbox', cb)));
    expect(replies.map((r) => r.statusCode)).toEqual(Array(20).fill(200));
    expect(new Set(replies.map((r) => r.body))).toEqual(new Set([JSON.stringify({ code: 'SUCCESS' })]));
    expect(await ledgerTxCount(order.id)).toBe(1);
    const events = await f.query(`SELECT count(*) FROM order_events WHERE order_id = $1 AND event = 'pay'`, [order.id]);
    expect(Number(events.rows[0]!.count)).toBe(1);
    const p = await paymentRow(pay.payment.id);
    expect(p).toMatchObject({ status: 'succeeded', callback_count: 20 });
    const outcomes = await f.query(
      `SELECT outcome, count(*)::int AS n FROM payment_callbacks WHERE payment_id = $1 GROUP BY 1`,
      [p.id],
    );
    expect(Object.fromEntries(outcomes.rows.map((r) => [r.outcome, r.n]))).toEqual({ applied: 1, replay: 19 });
  });

  it.each([
    ['a forged signature', 'signature'],
    ['a stale timestamp', 'timestamp'],
    ['a wrong amount', 'amount'],
    ['another store’s merchant', 'merchant'],
    ['another store’s key', 'signature-b'],
  ])('rejects %s: nothing changes, the rejection is logged', async (_name, kind) => {
    const c = await orderCustomer(f, t.app, a);
    const { order, pay } = await startSandbox(storeA, c);
    const base = { outTradeNo: pay.payment.outTradeNo, amountFen: pay.payment.amountFen };
    const bKey = signedSandboxCallback(t.app, b.id, base); // signed with B's key and B's merchant
    const cb =
      kind === 'signature'
        ? signedSandboxCallback(t.app, a.id, base, { key: 'f'.repeat(64) })
        : kind === 'timestamp'
          ? signedSandboxCallback(t.app, a.id, base, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 })
          : kind === 'amount'
            ? signedSandboxCallback(t.app, a.id, { ...base, amountFen: 1 })
            : kind === 'merchant'
              ? signedSandboxCallback(t.app, a.id, { ...base, merchantId: JSON.parse(bKey.body).merchantId })
              : bKey;
    const res = await postCallback(a, 'sandbox', cb);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'FAIL' });
    expect((await paymentRow(pay.payment.id)).status).toBe('pending');
    expect((await orderRow(order.id)).status).toBe('pending_payment');
    expect(await ledgerTxCount(order.id)).toBe(0);
    const log = await f.query(
      `SELECT outcome, reason FROM payment_callbacks WHERE tenant_id = $1 AND body_sha256 IS NOT NULL ORDER BY received_at DESC LIMIT 1`,
      [a.id],
    );
    expect(log.rows[0]).toMatchObject({ outcome: 'rejected', reason: kind === 'signature-b' ? 'signature' : kind });
    if (kind === 'amount' || kind === 'merchant') {
      const m = await f.query(`SELECT kind FROM payment_mismatches WHERE out_trade_no = $1`, [pay.payment.outTradeNo]);
      expect(m.rows.map((r) => r.kind)).toEqual([kind]);
    }
  });

  it('a callback for a trade we do not know is rejected and recorded', async () => {
    const cb = signedSandboxCallback(t.app, a.id, { outTradeNo: 'P' + 'a'.repeat(31), amountFen: 100 });
    const res = await postCallback(a, 'sandbox', cb);
    expect(res.statusCode).toBe(400);
    const m = await f.query(`SELECT kind FROM payment_mismatches WHERE tenant_id = $1 AND out_trade_no = $2`, [
      a.id,
      'P' + 'a'.repeat(31),
    ]);
    expect(m.rows).toEqual([{ kind: 'unknown_trade' }]);
  });

  it('balance: insufficient → 409 and nothing written; topped up → paid at once from the wallet', async () => {
    const c = await orderCustomer(f, t.app, a);
    const order = await bookOrder(t.app, storeA, c, { paymentMethod: 'balance' });
    const poor = await call('POST', a, `orders/${order.id}/pay`, c.token, { method: 'balance' });
    expect(poor.statusCode, poor.body).toBe(409);
    expect(poor.json().code).toBe('INSUFFICIENT_BALANCE');
    expect((await f.query(`SELECT count(*) FROM payments WHERE order_id = $1`, [order.id])).rows[0]!.count).toBe('0');
    await topUpWallet(t.app, a.id, c.id, order.totalFen + 500);
    const ok = await call('POST', a, `orders/${order.id}/pay`, c.token, { method: 'balance' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ payment: { status: 'succeeded' }, next: { kind: 'completed' } });
    expect((await orderRow(order.id)).status).toBe('dispatching');
    const wallet = await f.query(`SELECT -sum(amount_fen)::int AS bal FROM journal_entries WHERE account = $1`, [
      `customer_wallet:${c.id}`,
    ]);
    expect(wallet.rows[0]!.bal).toBe(500);
    const again = await call('POST', a, `orders/${order.id}/pay`, c.token, { method: 'balance' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('ORDER_NOT_PAYABLE');
  });

  it('balance: two parallel payments of two orders cannot overspend one wallet', async () => {
    const c = await orderCustomer(f, t.app, a);
    const o1 = await bookOrder(t.app, storeA, c, { paymentMethod: 'balance' });
    const o2 = await bookOrder(t.app, storeA, c, { paymentMethod: 'balance' });
    await topUpWallet(t.app, a.id, c.id, o1.totalFen); // enough for one
    const res = await Promise.all(
      [o1, o2].map((o) => call('POST', a, `orders/${o.id}/pay`, c.token, { method: 'balance' })),
    );
    expect(res.map((r) => r.statusCode).sort()).toEqual([200, 409]);
  });

  it('pay on arrival: the assigned technician confirms cash once; the ledger has it on their hands', async () => {
    const c = await orderCustomer(f, t.app, a);
    const techId = await orderTechnician(f, a);
    const techTok = await f.token({ id: techId, role: 'technician', tenantId: a.id });
    const otherTech = await f.token({ id: await orderTechnician(f, a), role: 'technician', tenantId: a.id });
    const order = await bookOrder(t.app, storeA, c, { paymentMethod: 'on_arrival', technicianId: techId });
    expect(order.status).toBe('assigned');
    expect((await call('POST', a, `orders/${order.id}/cash-collected`, otherTech)).statusCode).toBe(404);
    expect((await call('POST', a, `orders/${order.id}/cash-collected`, c.token)).statusCode).toBe(403);
    const r1 = await call('POST', a, `orders/${order.id}/cash-collected`, techTok);
    expect(r1.statusCode, r1.body).toBe(200);
    const r2 = await call('POST', a, `orders/${order.id}/cash-collected`, techTok);
    expect(r2.json().id).toBe(r1.json().id);
    expect((await orderRow(order.id)).paid_fen).toBe(order.totalFen);
    const cash = await f.query(`SELECT sum(amount_fen)::int AS s FROM journal_entries WHERE account = $1`, [
      `cash_on_hand:${techId}`,
    ]);
    expect(cash.rows[0]!.s).toBe(order.totalFen);
    const sandboxOrder = await bookOrder(t.app, storeA, c, { technicianId: techId });
    expect((await call('POST', a, `orders/${sandboxOrder.id}/cash-collected`, techTok)).statusCode).toBe(404); // not assigned yet (unpaid)
  });

  it('reconciliation: a payment whose callback never came is found by querying the provider, once', async () => {
    const c = await orderCustomer(f, t.app, a);
    const { order, pay } = await startSandbox(storeA, c);
    const sandbox = t.app.get(PaymentProviderRegistry).sandbox!;
    const creds = {
      merchantId: JSON.parse(signedSandboxCallback(t.app, a.id, { outTradeNo: 'x', amountFen: 1 }).body).merchantId,
    };
    sandbox.complete(
      {
        outTradeNo: pay.payment.outTradeNo,
        status: 'succeeded',
        amountFen: pay.payment.amountFen,
        currency: 'CNY',
        merchantId: creds.merchantId,
      },
      new Date(),
    );
    const later = new Date(Date.now() + 11 * 60_000);
    const recon = t.app.get(ReconciliationService);
    const s1 = await recon.run(a.id, later);
    expect(s1.applied).toBeGreaterThanOrEqual(1);
    expect((await orderRow(order.id)).status).toBe('dispatching');
    const s2 = await recon.run(a.id, later);
    expect(s2.applied).toBe(0);
    expect(await ledgerTxCount(order.id)).toBe(1);
    // the late callback afterwards is a replay
    const late = await postCallback(
      a,
      'sandbox',
      signedSandboxCallback(t.app, a.id, { outTradeNo: pay.payment.outTradeNo, amountFen: pay.payment.amountFen }),
    );
    expect(late.statusCode).toBe(200);
    expect(await ledgerTxCount(order.id)).toBe(1);
    const view = await call('GET', a, 'payments/reconciliation', tok.managerA!);
    expect(view.statusCode, view.body).toBe(200);
    expect(view.json().counts.queriesApplied).toBeGreaterThanOrEqual(1);
  });

  it('money for an order cancelled meanwhile goes to the wallet and is reported as paid_but_cancelled', async () => {
    const c = await orderCustomer(f, t.app, a);
    const { order, pay } = await startSandbox(storeA, c);
    const cancel = await call('POST', a, `orders/${order.id}/cancel`, c.token, { reason: '不想要了' });
    expect(cancel.statusCode, cancel.body).toBe(200);
    const res = await postCallback(
      a,
      'sandbox',
      signedSandboxCallback(t.app, a.id, { outTradeNo: pay.payment.outTradeNo, amountFen: pay.payment.amountFen }),
    );
    expect(res.statusCode).toBe(200);
    expect((await orderRow(order.id)).status).toBe('cancelled');
    const wallet = await f.query(`SELECT -sum(amount_fen)::int AS bal FROM journal_entries WHERE account = $1`, [
      `customer_wallet:${c.id}`,
    ]);
    expect(wallet.rows[0]!.bal).toBe(pay.payment.amountFen);
    const view = await call('GET', a, 'payments/reconciliation', tok.staffA!);
    expect(
      view.json().mismatches.map((m: { kind: string; outTradeNo: string }) => [m.kind, m.outTradeNo]),
    ).toContainEqual(['paid_but_cancelled', pay.payment.outTradeNo]);
  });

  it('completion settles the order: technician commission by tier, platform fee, store revenue — once', async () => {
    const c = await orderCustomer(f, t.app, a);
    const techId = await orderTechnician(f, a);
    const tier = await f.query<{ id: string }>(
      `INSERT INTO technician_tiers (tenant_id, code, name, commission_bps) VALUES ($1, $2, '金牌', 6000) RETURNING id`,
      [a.id, `gold_${techId.slice(0, 8)}`],
    );
    await f.query(`UPDATE technicians SET tier_id = $2 WHERE id = $1`, [techId, tier.rows[0]!.id]);
    const order = await bookOrder(t.app, storeA, c, { paymentMethod: 'balance', technicianId: techId });
    await topUpWallet(t.app, a.id, c.id, order.totalFen);
    expect((await call('POST', a, `orders/${order.id}/pay`, c.token, { method: 'balance' })).statusCode).toBe(200);
    for (const event of ['accept', 'depart', 'arrive', 'start_service', 'complete']) {
      const r = await call('POST', a, `orders/${order.id}/transitions`, tok.managerA!, { event });
      expect(r.statusCode, r.body).toBe(200);
    }
    const lines = await f.query(
      `SELECT e.account, e.amount_fen::int AS amount FROM journal_entries e JOIN journal_transactions x ON x.id = e.transaction_id
        WHERE x.order_id = $1 AND x.kind = 'order_settlement' ORDER BY e.line_no`,
      [order.id],
    );
    const tech = Math.floor((order.totalFen * 6000) / 10000);
    const platform = Math.floor((order.totalFen * 500) / 10000);
    expect(lines.rows).toEqual([
      { account: `order_liability:${order.id}`, amount: order.totalFen },
      { account: `technician_payable:${techId}`, amount: -tech },
      { account: 'platform_fee', amount: -platform },
      { account: 'store_revenue', amount: -(order.totalFen - tech - platform) },
    ]);
    const again = await t.app.get(ReconciliationService).run(a.id, new Date());
    expect(again.ordersSettled).toBe(0);
  });

  describe('roles and tenancy', () => {
    it('a customer cannot pay someone else’s order (404), staff cannot pay (403), another store’s order is 404', async () => {
      const c1 = await orderCustomer(f, t.app, a);
      const c2 = await orderCustomer(f, t.app, a);
      const order = await bookOrder(t.app, storeA, c1);
      expect((await call('POST', a, `orders/${order.id}/pay`, c2.token, { method: 'sandbox' })).statusCode).toBe(404);
      expect((await call('POST', a, `orders/${order.id}/pay`, tok.ownerA!, { method: 'sandbox' })).statusCode).toBe(
        403,
      );
      const cb = await orderCustomer(f, t.app, b);
      const orderB = await bookOrder(t.app, storeB, cb);
      const cross = await call('POST', a, `orders/${orderB.id}/pay`, c1.token, { method: 'sandbox' });
      expect(cross.statusCode).toBe(404);
      expect(cross.json().code).toBe('ORDER_NOT_FOUND');
      expect((await call('POST', b, `orders/${orderB.id}/pay`, c1.token, { method: 'sandbox' })).statusCode).toBe(403);
    });

    it('validates the method (400 naming it) and refuses methods the store has not configured', async () => {
      const c = await orderCustomer(f, t.app, a);
      const order = await bookOrder(t.app, storeA, c);
      const bad = await call('POST', a, `orders/${order.id}/pay`, c.token, { method: 'bitcoin' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().fields.map((x: { field: string }) => x.field)).toContain('method');
      const wechat = await call('POST', a, `orders/${order.id}/pay`, c.token, { method: 'wechat' });
      expect(wechat.statusCode).toBe(400);
      expect(wechat.json().code).toBe('PAYMENT_METHOD_UNAVAILABLE');
    });

    it('payments of B are invisible through A; A’s token at B is 403', async () => {
      const cb = await orderCustomer(f, t.app, b);
      const { pay } = await startSandbox(storeB, cb);
      const viaA = await call('GET', a, `payments/${pay.payment.id}`, tok.ownerA!);
      expect(viaA.statusCode).toBe(404);
      expect((await call('GET', b, `payments/${pay.payment.id}`, tok.ownerA!)).statusCode).toBe(403);
      expect((await call('GET', b, `payments/${pay.payment.id}`, tok.ownerB!)).statusCode).toBe(200);
      expect((await call('GET', b, `payments/${pay.payment.id}`, cb.token)).statusCode).toBe(200);
      // B's payment number through A's callback route: unknown there
      const res = await postCallback(
        a,
        'sandbox',
        signedSandboxCallback(t.app, a.id, { outTradeNo: pay.payment.outTradeNo, amountFen: pay.payment.amountFen }),
      );
      expect(res.statusCode).toBe(400);
      expect((await paymentRow(pay.payment.id)).status).toBe('pending');
    });

    it('加钟 payment, payment lists, cash collection, checkout page: roles and other stores', async () => {
      const c = await orderCustomer(f, t.app, a);
      const other = await orderCustomer(f, t.app, a);
      const techId = await orderTechnician(f, a);
      const order = await bookOrder(t.app, storeA, c, { paymentMethod: 'balance', technicianId: techId });
      await topUpWallet(t.app, a.id, c.id, order.totalFen + 100_000);
      expect((await call('POST', a, `orders/${order.id}/pay`, c.token, { method: 'balance' })).statusCode).toBe(200);
      for (const event of ['accept', 'depart', 'arrive', 'start_service']) {
        expect((await call('POST', a, `orders/${order.id}/transitions`, tok.managerA!, { event })).statusCode).toBe(
          200,
        );
      }
      const addon = await f.query<{ id: string }>(
        `INSERT INTO service_addons (tenant_id, service_id, kind, name_zh, price_fen, max_quantity, minutes)
         VALUES ($1, $2, 'extension', '加钟30分钟', 9900, 2, 30) RETURNING id`,
        [a.id, storeA.serviceId],
      );
      const ext = await call('POST', a, `orders/${order.id}/extensions`, tok.managerA!, {
        addonId: addon.rows[0]!.id,
        quantity: 1,
      });
      expect(ext.statusCode, ext.body).toBe(201);
      const path = `orders/${order.id}/extensions/${ext.json().id}/pay`;
      expect((await call('POST', a, path, other.token, { method: 'balance' })).statusCode).toBe(404);
      expect((await call('POST', a, path, tok.ownerA!, { method: 'balance' })).statusCode).toBe(403);
      expect((await call('POST', b, path, c.token, { method: 'balance' })).statusCode).toBe(403);
      expect(
        (await call('POST', a, `orders/${order.id}/extensions/not-a-uuid/pay`, c.token, { method: 'balance' }))
          .statusCode,
      ).toBe(400);
      const unknown = await call('POST', a, `orders/${order.id}/extensions/${randomUUID()}/pay`, c.token, {
        method: 'balance',
      });
      expect(unknown.statusCode).toBe(404);
      const paid = await call('POST', a, path, c.token, { method: 'balance' });
      expect(paid.statusCode, paid.body).toBe(200);
      expect(paid.json().payment).toMatchObject({ kind: 'supplement', status: 'succeeded', amountFen: 9900 });
      expect((await orderRow(order.id)).paid_fen).toBe(order.totalFen + 9900);
      expect((await call('POST', a, path, c.token, { method: 'balance' })).json().code).toBe('EXTENSION_NOT_PAYABLE');

      const list = await call('GET', a, `orders/${order.id}/payments`, c.token);
      expect(list.json().map((p: { kind: string }) => p.kind)).toEqual(['charge', 'supplement']);
      expect((await call('GET', a, `orders/${order.id}/payments`, other.token)).statusCode).toBe(404);
      expect((await call('GET', a, `orders/${order.id}/payments`, tok.staffA!)).statusCode).toBe(200);
      expect((await call('GET', b, `orders/${order.id}/payments`, tok.ownerB!)).statusCode).toBe(404);
      expect((await call('GET', b, `orders/${order.id}/payments`, tok.ownerA!)).statusCode).toBe(403);

      const techB = await f.token({
        id: (await f.newTechnician(b, { status: 'approved' })).id,
        role: 'technician',
        tenantId: b.id,
      });
      const techA = await f.token({ id: techId, role: 'technician', tenantId: a.id });
      expect((await call('POST', b, `orders/${order.id}/cash-collected`, techB)).statusCode).toBe(404);
      expect((await call('POST', b, `orders/${order.id}/cash-collected`, techA)).statusCode).toBe(403);
      expect((await call('POST', a, `orders/${order.id}/cash-collected`, techA)).json().code).toBe(
        'NOT_PAY_ON_ARRIVAL',
      );

      const cb = await orderCustomer(f, t.app, b);
      const { pay } = await startSandbox(storeB, cb);
      const page = await t.app.inject({
        method: 'GET',
        url: `/t/${a.slug}/api/payments/sandbox/checkout/${pay.payment.outTradeNo}`,
      });
      expect(page.statusCode).toBe(404);
      const confirm = await t.app.inject({
        method: 'POST',
        url: `/t/${a.slug}/api/payments/sandbox/checkout/${pay.payment.outTradeNo}/pay`,
      });
      expect(confirm.statusCode).toBe(404);
      expect((await paymentRow(pay.payment.id)).status).toBe('pending');
    });

    it('merchant enable/disable by the owner; a disabled provider cannot be paid with', async () => {
      const alipay = {
        appId: '2021000000000001',
        privateKeyPem: (await import('node:crypto'))
          .generateKeyPairSync('rsa', { modulusLength: 2048 })
          .privateKey.export({ type: 'pkcs8', format: 'pem' })
          .toString(),
        alipayPublicKeyPem: (await import('node:crypto'))
          .generateKeyPairSync('rsa', { modulusLength: 2048 })
          .publicKey.export({ type: 'spki', format: 'pem' })
          .toString(),
      };
      const set = await call('PUT', a, 'payments/merchants/alipay', tok.ownerA!, { config: alipay });
      expect(set.statusCode, set.body).toBe(200);
      expect(set.json()).toMatchObject({ provider: 'alipay', merchantId: alipay.appId, enabled: false });
      const c = await orderCustomer(f, t.app, a);
      const order = await bookOrder(t.app, storeA, c, { paymentMethod: 'alipay' });
      expect((await call('POST', a, `orders/${order.id}/pay`, c.token, { method: 'alipay' })).json().code).toBe(
        'PAYMENT_METHOD_UNAVAILABLE',
      );
      expect((await call('POST', a, 'payments/merchants/alipay/enable', tok.managerA!)).statusCode).toBe(403);
      expect((await call('POST', a, 'payments/merchants/alipay/enable', tok.ownerA!)).json().enabled).toBe(true);
      const pay = await call('POST', a, `orders/${order.id}/pay`, c.token, { method: 'alipay' });
      expect(pay.statusCode, pay.body).toBe(200);
      expect(pay.json().next.kind).toBe('redirect');
      expect((await call('POST', a, 'payments/merchants/alipay/disable', tok.ownerA!)).json().enabled).toBe(false);
      const row = await f.query(
        `SELECT config_enc FROM merchant_credentials WHERE tenant_id = $1 AND provider = 'alipay'`,
        [a.id],
      );
      expect(Buffer.from(row.rows[0]!.config_enc).toString('latin1')).not.toContain('PRIVATE KEY');
    });

    it('reconciliation view: staff and up; customers and technicians 403; another store 403', async () => {
      const c = await orderCustomer(f, t.app, a);
      const techTok = await f.token({ id: await orderTechnician(f, a), role: 'technician', tenantId: a.id });
      expect((await call('GET', a, 'payments/reconciliation', tok.staffA!)).statusCode).toBe(200);
      expect((await call('GET', a, 'payments/reconciliation', c.token)).statusCode).toBe(403);
      expect((await call('GET', a, 'payments/reconciliation', techTok)).statusCode).toBe(403);
      expect((await call('GET', b, 'payments/reconciliation', tok.ownerA!)).statusCode).toBe(403);
      expect((await call('GET', a, 'payments/reconciliation?since=yesterday', tok.ownerA!)).statusCode).toBe(400);
    });

    it('merchant credentials: owner only, validated, secrets never returned', async () => {
      const put = (token: string, body: object, tenant = a) =>
        call('PUT', tenant, 'payments/merchants/wechat', token, body);
      expect((await put(tok.managerA!, { config: {} })).statusCode).toBe(403);
      expect((await put(tok.ownerB!, { config: {} })).statusCode).toBe(403);
      const bad = await put(tok.ownerA!, { config: 'x' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().fields.map((x: { field: string }) => x.field)).toEqual(['config']);
      const invalid = await put(tok.ownerA!, { config: { nonsense: true } });
      expect(invalid.statusCode).toBe(400);
      expect(invalid.json().fields[0].field).toBe('config');
      const listed = await call('GET', a, 'payments/merchants', tok.ownerA!);
      expect(listed.json().map((m: { provider: string }) => m.provider)).not.toContain('wechat');
      expect((await call('POST', a, 'payments/merchants/wechat/enable', tok.ownerA!)).statusCode).toBe(404);
      expect((await call('GET', a, 'payments/merchants', tok.staffA!)).statusCode).toBe(403);
    });
  });
});
