import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Factory, type TestTenant } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { orderCustomer, orderStore, type OrderStore } from './support/order-fixtures';
import { bookOrder, storeCaller } from './support/payment-fixtures';
import { startFakeWechatGateway, type FakeWechatGateway } from './support/fake-payment-gateways';
import {
  alipayTradeNotifyParams,
  makeAlipayTestMerchant,
  makeWechatTestMerchant,
  signAlipayNotify,
  signWechatCallback,
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
    gw.handle = () => ({
      status: 200,
      body: { h5_url: 'https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=wx1' },
    });
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
    return { order, payment: res.json().payment as { id: string; outTradeNo: string; amountFen: number } };
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
});
