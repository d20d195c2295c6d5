import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ReconciliationService } from '../src/modules/payments/reconciliation.service';
import { TenantContext } from '../src/platform/database/tenant-context';
import { Factory, type TestTenant } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { orderCustomer, orderStore, type OrderStore } from './support/order-fixtures';
import { bookOrder, storeCaller } from './support/payment-fixtures';
import { startFakeWechatGateway, type FakeWechatGateway, type RecordedRequest } from './support/fake-payment-gateways';
import {
  alipayTradeNotifyParams,
  makeAlipayTestMerchant,
  makeWechatTestMerchant,
  signAlipayNotify,
  signWechatCallback,
  wechatRefund,
  wechatTransaction,
  type AlipayTestMerchant,
  type WechatTestMerchant,
} from './support/payment-signers';

/**
 * WeChat Pay v3 and Alipay notifications through the real callback route: keys and certificates
 * generated here, notifications built by the independent signers in test/support.
 */
describe('payments: WeChat Pay v3 and Alipay callbacks', () => {
  let db: TestDatabase;
  let t: TestApp;
  let f: Factory;
  let a: TestTenant;
  let b: TestTenant;
  let storeA: OrderStore;
  let call: ReturnType<typeof storeCaller>;
  let wx: WechatTestMerchant;
  let wxB: WechatTestMerchant;
  let ali: AlipayTestMerchant;
  let gw: FakeWechatGateway;
  const tok: Record<string, string> = {};
  const refundAnswers = new Map<string, Record<string, unknown>>();
  let duringCall: ((req: RecordedRequest) => Promise<void>) | null = null;
  let failing: RegExp | null = null;

  beforeAll(async () => {
    wx = makeWechatTestMerchant({ mchId: '1900000101' });
    wxB = makeWechatTestMerchant({ mchId: '1900000202' });
    ali = makeAlipayTestMerchant({ sellerId: '2088101106499364' });
    gw = await startFakeWechatGateway({
      merchantPublicKey: wx.merchant.publicKey,
      mchId: wx.credentials.mchId,
      merchantSerialNo: wx.credentials.merchantSerialNo,
      platformKey: wx.platform.privateKey,
      platformSerial: wx.platformSerial,
    });
    // prepay answers the H5 URL; refunds stay PROCESSING; a refund query answers what the test set;
    // a payment query knows no order. A test may look around while a call is open (duringCall) or
    // make calls fail like an overloaded gateway (failing).
    gw.handle = async (req) => {
      await duringCall?.(req);
      if (failing?.test(`${req.method} ${req.url}`)) {
        return { status: 503, body: { code: 'SYSTEM_ERROR', message: '系统繁忙，请稍后再试' } };
      }
      if (req.url.startsWith('/v3/pay/transactions/out-trade-no/')) {
        return { status: 404, body: { code: 'ORDER_NOT_EXIST', message: '订单不存在' } };
      }
      if (req.url === '/v3/refund/domestic/refunds') {
        const body = JSON.parse(req.body) as { out_refund_no: string };
        return { status: 200, body: { refund_id: `5030${body.out_refund_no}`, status: 'PROCESSING' } };
      }
      const refundQuery = /^\/v3\/refund\/domestic\/refunds\/(\w+)$/.exec(req.url);
      if (refundQuery) {
        const answer = refundAnswers.get(refundQuery[1]!);
        return answer ? { status: 200, body: answer } : { status: 404, body: { code: 'RESOURCE_NOT_EXISTS' } };
      }
      return { status: 200, body: { h5_url: 'https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=wx1' } };
    };
    db = await createTestDatabase();
    t = await createTestApp(db, { DB_POOL_MAX: '10', RUN_WORKERS: 'false', WECHAT_PAY_BASE_URL: gw.baseUrl });
    f = await Factory.create(db, t.app);
    call = storeCaller(t.app);
    a = await f.newTenant();
    b = await f.newTenant();
    storeA = await orderStore(f, a);
    for (const [name, tenant] of [
      ['ownerA', a],
      ['ownerB', b],
    ] as const) {
      const s = await f.newStaff(tenant, { role: 'tenant_owner' });
      tok[name] = await f.token({ id: s.id, role: 'tenant_owner', tenantId: tenant.id });
    }
    for (const [tenant, token, provider, config] of [
      [a, tok.ownerA!, 'wechat', wx.credentials],
      [a, tok.ownerA!, 'alipay', ali.credentials],
      [b, tok.ownerB!, 'wechat', wxB.credentials],
    ] as const) {
      const res = await call('PUT', tenant, `payments/merchants/${provider}`, token, { config, enabled: true });
      expect(res.statusCode, res.body).toBe(200);
    }
  });
  afterAll(async () => {
    await f?.close();
    await t?.close();
    await db?.drop();
    await gw?.close();
  });

  const ledgerTxCount = async (orderId: string) =>
    Number((await f.query(`SELECT count(*) FROM journal_transactions WHERE order_id = $1`, [orderId])).rows[0]!.count);
  const statusOf = async (paymentId: string) =>
    (await f.query(`SELECT status FROM payments WHERE id = $1`, [paymentId])).rows[0]!.status as string;
  const orderStatus = async (id: string) =>
    (await f.query(`SELECT status FROM orders WHERE id = $1`, [id])).rows[0]!.status as string;
  const post = (tenant: TestTenant, provider: string, cb: { headers: Record<string, string>; body: string }) =>
    t.app.inject({
      method: 'POST',
      url: `/t/${tenant.slug}/api/payments/callbacks/${provider}`,
      headers: cb.headers,
      payload: cb.body,
    });

  async function started(method: 'wechat' | 'alipay') {
    const c = await orderCustomer(f, t.app, a);
    const order = await bookOrder(t.app, storeA, c, { paymentMethod: method });
    const res = await call('POST', a, `orders/${order.id}/pay`, c.token, {
      method,
      channel: method === 'wechat' ? 'h5' : 'wap',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().next.kind).toBe('redirect');
    return { c, order, payment: res.json().payment as { id: string; outTradeNo: string; amountFen: number } };
  }

  const wechatCb = (
    m: WechatTestMerchant,
    outTradeNo: string,
    totalFen: number,
    over: { timestamp?: number; mchid?: string } = {},
  ) =>
    signWechatCallback({
      platformKey: m.platform.privateKey,
      serial: m.platformSerial,
      apiV3Key: m.credentials.apiV3Key,
      resource: wechatTransaction({
        appid: m.credentials.appId,
        mchid: over.mchid ?? m.credentials.mchId,
        outTradeNo,
        totalFen,
      }),
      ...(over.timestamp !== undefined ? { timestamp: over.timestamp } : {}),
    });

  it('merchant settings list the merchant ids, never the keys', async () => {
    const res = await call('GET', a, 'payments/merchants', tok.ownerA!);
    expect(res.json().map((m: { provider: string; merchantId: string }) => [m.provider, m.merchantId])).toEqual([
      ['alipay', '2088101106499364'],
      ['wechat', '1900000101'],
    ]);
    expect(res.body).not.toContain('PRIVATE KEY');
    expect(res.body).not.toContain(wx.credentials.apiV3Key);
  });

  it('WeChat: a valid callback replayed 20 times in parallel → paid once, one ledger transaction, 20 success replies', async () => {
    const { order, payment } = await started('wechat');
    const cb = wechatCb(wx, payment.outTradeNo, payment.amountFen);
    const replies = await Promise.all(Array.from({ length: 20 }, () => post(a, 'wechat', cb)));
    expect(replies.map((r) => r.statusCode).every((s) => s === 200 || s === 204)).toBe(true);
    expect(await statusOf(payment.id)).toBe('succeeded');
    expect(await orderStatus(order.id)).toBe('dispatching');
    expect(await ledgerTxCount(order.id)).toBe(1);
  });

  it('Alipay: TRADE_CLOSED after a full refund is expected, not a finding; closing a paid, unrefunded trade is one', async () => {
    const mismatches = async (paymentId: string) =>
      (await f.query(`SELECT kind FROM payment_mismatches WHERE payment_id = $1`, [paymentId])).rows;
    const closed = (outTradeNo: string, amountFen: number) =>
      signAlipayNotify({
        alipayPrivateKey: ali.alipay.privateKey,
        params: alipayTradeNotifyParams({
          appId: ali.credentials.appId,
          outTradeNo,
          totalAmount: yuan(amountFen),
          tradeStatus: 'TRADE_CLOSED',
        }),
      });

    const refunded = await started('alipay');
    expect(
      (await post(a, 'alipay', alipayCb(refunded.payment.outTradeNo, yuan(refunded.payment.amountFen)))).body,
    ).toBe('success');
    await f.query(
      `INSERT INTO refunds (tenant_id, order_id, payment_id, out_refund_no, amount_fen, reason, status, within_policy,
                            requested_by_type)
       VALUES ($1, $2, $3, $4, $5, 'test', 'succeeded', true, 'staff')`,
      [a.id, refunded.order.id, refunded.payment.id, `RF${refunded.payment.outTradeNo}`, refunded.payment.amountFen],
    );
    const res = await post(a, 'alipay', closed(refunded.payment.outTradeNo, refunded.payment.amountFen));
    expect(res.body).toBe('success');
    expect(await statusOf(refunded.payment.id)).toBe('succeeded');
    expect(await mismatches(refunded.payment.id)).toEqual([]);

    const kept = await started('alipay');
    await post(a, 'alipay', alipayCb(kept.payment.outTradeNo, yuan(kept.payment.amountFen)));
    await post(a, 'alipay', closed(kept.payment.outTradeNo, kept.payment.amountFen));
    expect(await statusOf(kept.payment.id)).toBe('succeeded');
    expect(await mismatches(kept.payment.id)).toEqual([{ kind: 'status' }]);
  });

  it.each([
    ['forged signature', 'signature'],
    ['stale timestamp', 'timestamp'],
    ['wrong amount', 'amount'],
    ['another store’s merchant', 'merchant'],
  ])('WeChat: %s → rejected, nothing changes', async (_n, kind) => {
    const { order, payment } = await started('wechat');
    const cb =
      kind === 'signature'
        ? wechatCb(wxB, payment.outTradeNo, payment.amountFen) // signed by another platform key
        : kind === 'timestamp'
          ? wechatCb(wx, payment.outTradeNo, payment.amountFen, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 })
          : kind === 'amount'
            ? wechatCb(wx, payment.outTradeNo, 1)
            : wechatCb(wx, payment.outTradeNo, payment.amountFen, { mchid: wxB.credentials.mchId });
    const res = await post(a, 'wechat', cb);
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(await statusOf(payment.id)).toBe('pending');
    expect(await orderStatus(order.id)).toBe('pending_payment');
    expect(await ledgerTxCount(order.id)).toBe(0);
  });

  const alipayCb = (
    outTradeNo: string,
    totalAmount: string,
    over: { sellerId?: string; key?: AlipayTestMerchant } = {},
  ) =>
    signAlipayNotify({
      alipayPrivateKey: (over.key ?? ali).alipay.privateKey,
      params: alipayTradeNotifyParams({
        appId: ali.credentials.appId,
        outTradeNo,
        totalAmount,
        sellerId: over.sellerId ?? '2088101106499364',
      }),
    });
  const yuan = (fen: number) => (fen / 100).toFixed(2);

  it('Alipay: a valid notification replayed 20 times in parallel → paid once, one ledger transaction, all answered `success`', async () => {
    const { order, payment } = await started('alipay');
    const cb = alipayCb(payment.outTradeNo, yuan(payment.amountFen));
    const replies = await Promise.all(Array.from({ length: 20 }, () => post(a, 'alipay', cb)));
    expect(replies.map((r) => [r.statusCode, r.body])).toEqual(Array(20).fill([200, 'success']));
    expect(await statusOf(payment.id)).toBe('succeeded');
    expect(await ledgerTxCount(order.id)).toBe(1);
  });

  it.each([
    ['forged signature', 'signature'],
    ['wrong amount', 'amount'],
    ['another merchant', 'merchant'],
  ])('Alipay: %s → rejected, nothing changes', async (_n, kind) => {
    const { order, payment } = await started('alipay');
    const cb =
      kind === 'signature'
        ? alipayCb(payment.outTradeNo, yuan(payment.amountFen), { key: makeAlipayTestMerchant() })
        : kind === 'amount'
          ? alipayCb(payment.outTradeNo, '0.01')
          : alipayCb(payment.outTradeNo, yuan(payment.amountFen), { sellerId: '2088000000000001' });
    const res = await post(a, 'alipay', cb);
    expect(res.body).not.toBe('success');
    expect(await statusOf(payment.id)).toBe('pending');
    expect(await ledgerTxCount(order.id)).toBe(0);
  });

  it('a WeChat notification for A’s payment posted to B’s route changes nothing (B does not know the trade)', async () => {
    const { payment } = await started('wechat');
    const res = await post(b, 'wechat', wechatCb(wxB, payment.outTradeNo, payment.amountFen));
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(await statusOf(payment.id)).toBe('pending');
  });

  describe('WeChat refunds that stay PROCESSING are followed up (REFUND.* notification, refund query)', () => {
    interface RefundRow {
      id: string;
      status: string;
      out_refund_no: string;
      amount_fen: number;
      provider_refund_no: string | null;
    }
    const refundOf = async (orderId: string) =>
      (await f.query<RefundRow>(`SELECT * FROM refunds WHERE order_id = $1`, [orderId])).rows[0]!;
    const orderRow = async (id: string) => (await f.query(`SELECT * FROM orders WHERE id = $1`, [id])).rows[0]!;
    const refundTxs = async (orderId: string) =>
      Number(
        (await f.query(`SELECT count(*) FROM journal_transactions WHERE order_id = $1 AND kind = 'refund'`, [orderId]))
          .rows[0]!.count,
      );
    /** What the order's money accounts say it holds net: received − refunded (clearing side). */
    const ledgerNet = async (orderId: string) =>
      Number(
        (
          await f.query(
            `SELECT coalesce(sum(e.amount_fen), 0) AS net FROM journal_entries e
               JOIN journal_transactions x ON x.tenant_id = e.tenant_id AND x.id = e.transaction_id
              WHERE x.order_id = $1 AND x.kind IN ('payment', 'refund') AND e.account LIKE 'clearing:%'`,
            [orderId],
          )
        ).rows[0]!.net,
      );
    /** Every journal transaction of the store sums to zero, and so does the whole store. */
    const expectBalanced = async () => {
      const unbalanced = await f.query(
        `SELECT transaction_id FROM journal_entries WHERE tenant_id = $1 GROUP BY transaction_id HAVING sum(amount_fen) <> 0`,
        [a.id],
      );
      expect(unbalanced.rows).toEqual([]);
    };
    const notices = async (template: string, orderId: string) =>
      (
        await f.query(`SELECT recipient_type FROM notifications WHERE template = $1 AND order_id = $2`, [
          template,
          orderId,
        ])
      ).rows.map((r) => r.recipient_type as string);
    const refundCb = (
      refund: RefundRow,
      outTradeNo: string,
      totalFen: number,
      over: { refundStatus?: 'SUCCESS' | 'CLOSED' | 'ABNORMAL'; refundFen?: number; outRefundNo?: string } = {},
    ) =>
      signWechatCallback({
        platformKey: wx.platform.privateKey,
        serial: wx.platformSerial,
        apiV3Key: wx.credentials.apiV3Key,
        resource: wechatRefund({
          mchid: wx.credentials.mchId,
          outTradeNo,
          outRefundNo: over.outRefundNo ?? refund.out_refund_no,
          refundFen: over.refundFen ?? refund.amount_fen,
          totalFen,
          refundStatus: over.refundStatus ?? 'SUCCESS',
          refundId: `5030${refund.out_refund_no}`,
        }),
        eventType: `REFUND.${over.refundStatus ?? 'SUCCESS'}`,
        associatedData: 'refund',
      });
    const reconcileLater = () => t.app.get(ReconciliationService).run(a.id, new Date(Date.now() + 60 * 60_000));

    /** A WeChat-paid order cancelled by its customer: the refund went to WeChat, which answered PROCESSING. */
    async function cancelledWithRefundProcessing() {
      const { c, order, payment } = await started('wechat');
      expect((await post(a, 'wechat', wechatCb(wx, payment.outTradeNo, payment.amountFen))).statusCode).toBe(204);
      const res = await call('POST', a, `orders/${order.id}/cancel`, c.token, { reason: '临时有事' });
      expect(res.statusCode, res.body).toBe(200);
      const refund = await refundOf(order.id);
      expect(refund).toMatchObject({ status: 'processing', provider_refund_no: `5030${refund.out_refund_no}` });
      expect(await refundTxs(order.id)).toBe(0);
      return { order, payment, refund };
    }

    it('the refund asks WeChat to notify the store’s callback route', async () => {
      const { refund } = await cancelledWithRefundProcessing();
      const sent = gw.requests.filter((r) => r.url === '/v3/refund/domestic/refunds').map((r) => JSON.parse(r.body));
      expect(sent.find((b) => b.out_refund_no === refund.out_refund_no)).toMatchObject({
        notify_url: expect.stringMatching(new RegExp(`/t/${a.slug}/api/payments/callbacks/wechat$`)),
      });
    });

    it('REFUND.SUCCESS signed by WeChat → refund succeeded, booked once, order refunded, customer told; tampered rejected; replays change nothing', async () => {
      const { order, payment, refund } = await cancelledWithRefundProcessing();
      const cb = refundCb(refund, payment.outTradeNo, payment.amountFen);

      const tampered = await post(a, 'wechat', { ...cb, body: cb.body.replace('退款成功', '退款完成') });
      expect(tampered.statusCode).toBeGreaterThanOrEqual(400);
      expect((await refundOf(order.id)).status).toBe('processing');
      const forged = refundCb(refund, payment.outTradeNo, payment.amountFen);
      forged.headers['wechatpay-signature'] = wechatCb(wxB, payment.outTradeNo, 1).headers['wechatpay-signature']!;
      expect((await post(a, 'wechat', forged)).statusCode).toBeGreaterThanOrEqual(400);
      expect(await refundTxs(order.id)).toBe(0);

      const replies = await Promise.all(Array.from({ length: 10 }, () => post(a, 'wechat', cb)));
      expect(replies.map((r) => r.statusCode)).toEqual(Array(10).fill(204));
      expect(await refundOf(order.id)).toMatchObject({ status: 'succeeded' });
      expect(await refundTxs(order.id)).toBe(1);
      const o = await orderRow(order.id);
      expect(o.refunded_fen).toBe(refund.amount_fen);
      expect(o.status).toBe(refund.amount_fen === o.paid_fen ? 'refunded' : 'partially_refunded');
      expect(await ledgerNet(order.id)).toBe(o.paid_fen - o.refunded_fen);
      await expectBalanced();
      expect(await notices('order.refunded', order.id)).toEqual(['customer']);
      // the cancellation's request finished with its refund
      const req = await f.query(`SELECT status FROM refund_requests WHERE order_id = $1`, [order.id]);
      expect(req.rows).toEqual([{ status: 'executed' }]);
      const log = await f.query(
        `SELECT outcome, count(*)::int AS n FROM payment_callbacks WHERE refund_id = $1 GROUP BY outcome ORDER BY outcome`,
        [refund.id],
      );
      expect(log.rows).toEqual([
        { outcome: 'applied', n: 1 },
        { outcome: 'replay', n: 9 },
      ]);

      // a later replay, and a late query saying the same, change nothing either
      expect((await post(a, 'wechat', cb)).statusCode).toBe(204);
      refundAnswers.set(refund.out_refund_no, {
        out_refund_no: refund.out_refund_no,
        out_trade_no: payment.outTradeNo,
        status: 'SUCCESS',
        amount: { total: payment.amountFen, refund: refund.amount_fen },
      });
      await reconcileLater();
      expect(await refundTxs(order.id)).toBe(1);
      expect((await orderRow(order.id)).refunded_fen).toBe(refund.amount_fen);
    });

    it('REFUND.ABNORMAL → refund failed, staff alerted, nothing booked; what is refundable is free again', async () => {
      const { order, payment, refund } = await cancelledWithRefundProcessing();
      const res = await post(
        a,
        'wechat',
        refundCb(refund, payment.outTradeNo, payment.amountFen, { refundStatus: 'ABNORMAL' }),
      );
      expect(res.statusCode).toBe(204);
      expect((await refundOf(order.id)).status).toBe('failed');
      expect(await refundTxs(order.id)).toBe(0);
      expect((await orderRow(order.id)).refunded_fen).toBe(0);
      expect(await ledgerNet(order.id)).toBe(payment.amountFen);
      await expectBalanced();
      expect(await notices('staff.refund_failed', order.id)).toEqual(['staff']);
      expect(await notices('order.refunded', order.id)).toEqual([]);
      const req = await f.query(`SELECT status FROM refund_requests WHERE order_id = $1`, [order.id]);
      expect(req.rows).toEqual([{ status: 'failed' }]);
      // a manager can now refund the money another way
      const again = await call('POST', a, `orders/${order.id}/refunds`, tok.ownerA!, {
        amountFen: payment.amountFen,
        reason: '重新退款',
      });
      expect(again.statusCode, again.body).toBe(201);
    });

    it('no notification: the reconciliation query completes the refund (PROCESSING first, then SUCCESS), once', async () => {
      const { order, payment, refund } = await cancelledWithRefundProcessing();
      const answer = (status: string) => ({
        refund_id: `5030${refund.out_refund_no}`,
        out_refund_no: refund.out_refund_no,
        out_trade_no: payment.outTradeNo,
        status,
        success_time: '2026-11-25T10:05:00+08:00',
        amount: {
          total: payment.amountFen,
          refund: refund.amount_fen,
          payer_total: payment.amountFen,
          payer_refund: refund.amount_fen,
        },
      });
      refundAnswers.set(refund.out_refund_no, answer('PROCESSING'));
      expect((await reconcileLater()).refundsApplied).toBe(0);
      expect((await refundOf(order.id)).status).toBe('processing');

      refundAnswers.set(refund.out_refund_no, answer('SUCCESS'));
      const s = await reconcileLater();
      expect(s.refundsQueried).toBeGreaterThanOrEqual(1);
      expect(await refundOf(order.id)).toMatchObject({ status: 'succeeded' });
      expect(await refundTxs(order.id)).toBe(1);
      const o = await orderRow(order.id);
      expect(o.refunded_fen).toBe(refund.amount_fen);
      expect(await ledgerNet(order.id)).toBe(o.paid_fen - o.refunded_fen);
      await expectBalanced();
      expect(await notices('order.refunded', order.id)).toEqual(['customer']);
      const q = await f.query(`SELECT query_count FROM refunds WHERE id = $1`, [refund.id]);
      expect(q.rows[0]!.query_count).toBe(2);
    });

    it('query and notification racing: one of them completes the refund, the other is a replay', async () => {
      const { order, payment, refund } = await cancelledWithRefundProcessing();
      refundAnswers.set(refund.out_refund_no, {
        out_refund_no: refund.out_refund_no,
        out_trade_no: payment.outTradeNo,
        status: 'SUCCESS',
        amount: { total: payment.amountFen, refund: refund.amount_fen },
      });
      const cb = refundCb(refund, payment.outTradeNo, payment.amountFen);
      await Promise.all([reconcileLater(), post(a, 'wechat', cb), post(a, 'wechat', cb), reconcileLater()]);
      expect(await refundTxs(order.id)).toBe(1);
      expect((await orderRow(order.id)).refunded_fen).toBe(refund.amount_fen);
      const applied = await f.query(
        `SELECT count(*)::int AS n FROM payment_callbacks WHERE refund_id = $1 AND outcome = 'applied'`,
        [refund.id],
      );
      expect(applied.rows[0]!.n).toBe(1);
      await expectBalanced();
    });

    it('a refund notification that does not match (amount, unknown refund number) changes nothing and is listed for staff', async () => {
      const { order, payment, refund } = await cancelledWithRefundProcessing();
      const wrongAmount = await post(
        a,
        'wechat',
        refundCb(refund, payment.outTradeNo, payment.amountFen, { refundFen: 1 }),
      );
      expect(wrongAmount.statusCode).toBeGreaterThanOrEqual(400);
      const unknown = await post(
        a,
        'wechat',
        refundCb(refund, payment.outTradeNo, payment.amountFen, { outRefundNo: 'R0000000000000000000000000000404' }),
      );
      expect(unknown.statusCode).toBeGreaterThanOrEqual(400);
      expect((await refundOf(order.id)).status).toBe('processing');
      expect(await refundTxs(order.id)).toBe(0);

      const view = await call('GET', a, 'payments/reconciliation', tok.ownerA!);
      expect(view.statusCode).toBe(200);
      const found = view.json().mismatches as { kind: string; refundId: string | null; outRefundNo: string | null }[];
      expect(found).toContainEqual(
        expect.objectContaining({ kind: 'amount', refundId: refund.id, outRefundNo: refund.out_refund_no }),
      );
      expect(found).toContainEqual(
        expect.objectContaining({
          kind: 'unknown_refund',
          refundId: null,
          outRefundNo: 'R0000000000000000000000000000404',
        }),
      );
      expect(view.json().counts.refundsByStatus.processing).toBeGreaterThanOrEqual(1);
      // store B's view knows nothing of it
      const viewB = await call('GET', b, 'payments/reconciliation', tok.ownerB!);
      expect(JSON.stringify(viewB.json())).not.toContain(refund.out_refund_no);
    });

    it('a manager closes a finding with what they found: who, when, audited; staff cannot, another store gets 404', async () => {
      const { payment, refund } = await cancelledWithRefundProcessing();
      await post(a, 'wechat', refundCb(refund, payment.outTradeNo, payment.amountFen, { refundFen: 1 }));
      const finding = (
        (await call('GET', a, 'payments/reconciliation', tok.ownerA!)).json().mismatches as {
          id: string;
          refundId: string | null;
          resolvedAt: string | null;
        }[]
      ).find((m) => m.refundId === refund.id && m.resolvedAt === null)!;
      expect(finding).toBeDefined();
      const path = `payments/reconciliation/mismatches/${finding.id}/resolve`;
      const staff = await f.newStaff(a, { role: 'store_staff' });
      const staffTok = await f.token({ id: staff.id, role: 'store_staff', tenantId: a.id });
      const manager = await f.newStaff(a, { role: 'store_manager' });
      const managerTok = await f.token({ id: manager.id, role: 'store_manager', tenantId: a.id });
      const resolution = '与微信支付核对：金额以商户平台为准 / checked with WeChat Pay';

      expect((await call('POST', a, path, staffTok, { resolution })).statusCode).toBe(403);
      const fromB = await call('POST', b, path, tok.ownerB!, { resolution });
      expect(fromB.statusCode).toBe(404);
      expect(fromB.body).not.toContain(refund.out_refund_no);
      const blank = await call('POST', a, path, managerTok, { resolution: '' });
      expect(blank.statusCode).toBe(400);
      expect(blank.json().fields[0].field).toBe('resolution');
      const missing = await call('POST', a, `payments/reconciliation/mismatches/${randomUUID()}/resolve`, managerTok, {
        resolution,
      });
      expect(missing.statusCode).toBe(404);

      const done = await call('POST', a, path, managerTok, { resolution });
      expect(done.statusCode, done.body).toBe(200);
      expect(done.json()).toMatchObject({ id: finding.id, resolvedBy: manager.id, resolution });
      expect(done.json().resolvedAt).not.toBeNull();
      // a retried request changes nothing; another resolution of a closed finding is a conflict
      const again = await call('POST', a, path, managerTok, { resolution });
      expect(again.statusCode).toBe(200);
      expect(again.json().resolvedAt).toBe(done.json().resolvedAt);
      const other = await call('POST', a, path, tok.ownerA!, { resolution: 'something else' });
      expect(other.statusCode).toBe(409);
      expect(other.json().code).toBe('MISMATCH_ALREADY_RESOLVED');

      const audit = await f.query(
        `SELECT actor_id, details->>'resolution' AS resolution FROM audit_events
          WHERE action = 'payments.mismatch_resolved' AND target_id = $1`,
        [finding.id],
      );
      expect(audit.rows).toEqual([{ actor_id: manager.id, resolution }]);
      // the view shows it closed; the same problem reported again is a new, open finding
      const view = (await call('GET', a, 'payments/reconciliation', tok.ownerA!)).json().mismatches as {
        id: string;
        refundId: string | null;
        resolvedAt: string | null;
        resolution: string | null;
      }[];
      expect(view.find((m) => m.id === finding.id)).toMatchObject({ resolution });
      await post(a, 'wechat', refundCb(refund, payment.outTradeNo, payment.amountFen, { refundFen: 1 }));
      const reopened = (await call('GET', a, 'payments/reconciliation', tok.ownerA!)).json().mismatches as {
        id: string;
        refundId: string | null;
        resolvedAt: string | null;
      }[];
      expect(reopened.filter((m) => m.refundId === refund.id && m.resolvedAt === null)).toHaveLength(1);
    });
  });

  describe('provider calls run outside any transaction; what they interrupt is recovered', () => {
    /** What another connection sees while a gateway call is open. */
    interface Seen {
      call: string;
      appSessionsIdleInTransaction: number;
      row: Record<string, unknown> | undefined;
    }
    const seen: Seen[] = [];
    const idleInTransaction = async () =>
      Number(
        (
          await f.query(
            `SELECT count(*) FROM pg_stat_activity
              WHERE datname = current_database() AND usename = 'massage_app' AND state LIKE 'idle in transaction%'`,
          )
        ).rows[0]!.count,
      );
    /** Records, during each gateway call, open app transactions and the row the call is about. */
    const watch = () => {
      seen.length = 0;
      duringCall = async (req) => {
        const refundNo =
          /^\/v3\/refund\/domestic\/refunds\/(\w+)$/.exec(req.url)?.[1] ??
          (req.method === 'POST' && req.url === '/v3/refund/domestic/refunds'
            ? (JSON.parse(req.body) as { out_refund_no: string }).out_refund_no
            : undefined);
        const tradeNo =
          /out-trade-no\/(\w+)\?/.exec(req.url)?.[1] ??
          (req.url.startsWith('/v3/pay/transactions/')
            ? (JSON.parse(req.body) as { out_trade_no: string }).out_trade_no
            : undefined);
        const row = refundNo
          ? (await f.query(`SELECT status FROM refunds WHERE out_refund_no = $1`, [refundNo])).rows[0]
          : (await f.query(`SELECT status FROM payments WHERE out_trade_no = $1`, [tradeNo])).rows[0];
        seen.push({
          call: `${req.method} ${req.url.replace(/\?.*/, '')}`,
          appSessionsIdleInTransaction: await idleInTransaction(),
          row,
        });
      };
    };
    const reconcileLater = () => t.app.get(ReconciliationService).run(a.id, new Date(Date.now() + 60 * 60_000));
    const refundOf = async (orderId: string) =>
      (await f.query(`SELECT * FROM refunds WHERE order_id = $1`, [orderId])).rows[0]!;
    afterEach(() => {
      duringCall = null;
      failing = null;
    });

    it('prepay, refund, payment query and refund query: no app transaction is open during the call, and the row is already committed', async () => {
      watch();
      const { c, order, payment } = await started('wechat'); // prepay
      // a second payment left pending (its callback never comes) for the reconciliation query
      const other = await started('wechat');
      expect((await post(a, 'wechat', wechatCb(wx, payment.outTradeNo, payment.amountFen))).statusCode).toBe(204);
      const cancel = await call('POST', a, `orders/${order.id}/cancel`, c.token, { reason: '临时有事' }); // refund
      expect(cancel.statusCode, cancel.body).toBe(200);
      const refund = await refundOf(order.id);
      refundAnswers.set(refund.out_refund_no, {
        out_refund_no: refund.out_refund_no,
        out_trade_no: payment.outTradeNo,
        status: 'SUCCESS',
        amount: { total: payment.amountFen, refund: refund.amount_fen },
      });
      await reconcileLater(); // payment query + refund query

      const calls = seen.map((x) => x.call);
      expect(calls).toEqual(
        expect.arrayContaining([
          'POST /v3/pay/transactions/h5',
          'POST /v3/refund/domestic/refunds',
          `GET /v3/pay/transactions/out-trade-no/${other.payment.outTradeNo}`,
          `GET /v3/refund/domestic/refunds/${refund.out_refund_no}`,
        ]),
      );
      for (const x of seen) {
        expect(x.appSessionsIdleInTransaction, x.call).toBe(0);
        expect(x.row, x.call).toBeDefined(); // committed: another connection sees it during the call
      }
      expect(seen.find((x) => x.call === 'POST /v3/refund/domestic/refunds')!.row).toEqual({ status: 'approved' });
      expect((await refundOf(order.id)).status).toBe('succeeded');
    });

    it('refund submission interrupted (gateway down): the refund stays approved; reconciliation finds WeChat never got it and sends it again, once', async () => {
      const { c, order, payment } = await started('wechat');
      expect((await post(a, 'wechat', wechatCb(wx, payment.outTradeNo, payment.amountFen))).statusCode).toBe(204);
      failing = /^POST \/v3\/refund\/domestic\/refunds$/;
      expect((await call('POST', a, `orders/${order.id}/cancel`, c.token, { reason: '临时有事' })).statusCode).toBe(
        200,
      );
      const stuck = await refundOf(order.id);
      expect(stuck.status).toBe('approved');
      const req = await f.query(`SELECT status FROM refund_requests WHERE order_id = $1`, [order.id]);
      expect(req.rows).toEqual([{ status: 'pending' }]);

      failing = null;
      const sentBefore = gw.requests.filter((r) => r.url === '/v3/refund/domestic/refunds').length;
      const s = await reconcileLater(); // query: RESOURCE_NOT_EXISTS → sent again with the same out_refund_no
      expect(s.refundsResent).toBe(1);
      const resent = gw.requests.filter((r) => r.url === '/v3/refund/domestic/refunds').slice(sentBefore);
      expect(resent.map((r) => JSON.parse(r.body).out_refund_no)).toEqual([stuck.out_refund_no]);
      expect((await refundOf(order.id)).status).toBe('processing');
      expect(await reconcileLater()).toMatchObject({ refundsResent: 0 });
      const refundTxs = await f.query(
        `SELECT count(*)::int AS n FROM journal_transactions WHERE order_id = $1 AND kind = 'refund'`,
        [order.id],
      );
      expect(refundTxs.rows[0]!.n).toBe(0); // nothing booked until WeChat confirms
    });

    it('prepay interrupted: 502, the payment row stays pending; paying again reuses it and asks WeChat for exactly the same payment', async () => {
      const c = await orderCustomer(f, t.app, a);
      const order = await bookOrder(t.app, storeA, c, { paymentMethod: 'wechat' });
      failing = /^POST \/v3\/pay\/transactions\/h5$/;
      const first = await call('POST', a, `orders/${order.id}/pay`, c.token, { method: 'wechat', channel: 'h5' });
      expect(first.statusCode).toBe(502);
      expect(first.json().code).toBe('PAYMENT_PROVIDER_ERROR');
      const rows = await f.query(`SELECT id, out_trade_no, status FROM payments WHERE order_id = $1`, [order.id]);
      expect(rows.rows).toHaveLength(1);
      expect(rows.rows[0]!.status).toBe('pending');

      failing = null;
      const second = await call('POST', a, `orders/${order.id}/pay`, c.token, { method: 'wechat', channel: 'h5' });
      expect(second.statusCode, second.body).toBe(200);
      expect(second.json().payment.id).toBe(rows.rows[0]!.id);
      const prepays = gw.requests
        .filter((r) => r.url === '/v3/pay/transactions/h5')
        .map((r) => JSON.parse(r.body) as { out_trade_no: string })
        .filter((b) => b.out_trade_no === rows.rows[0]!.out_trade_no);
      expect(prepays).toHaveLength(2);
      expect(prepays[1]).toEqual(prepays[0]);
    });

    it('the services that call providers refuse to run inside a unit of work', async () => {
      await expect(
        t.app.get(TenantContext).run(a.id, () => t.app.get(ReconciliationService).run(a.id, new Date())),
      ).rejects.toThrow(/outside any unit of work/);
    });
  });
});
