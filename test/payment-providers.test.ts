import { createVerify } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AlipayProvider } from '../src/modules/payments/providers/alipay/alipay.provider';
import type { AlipayCredentials } from '../src/modules/payments/providers/alipay/alipay-credentials';
import type { CreatePaymentInput } from '../src/modules/payments/providers/payment-provider';
import { ProviderRequestError } from '../src/modules/payments/providers/provider-errors';
import type { WechatPayCredentials } from '../src/modules/payments/providers/wechat-pay-v3/wechat-pay-credentials';
import { WechatPayV3Provider } from '../src/modules/payments/providers/wechat-pay-v3/wechat-pay-v3.provider';
import {
  startFakeAlipayGateway,
  startFakeWechatGateway,
  type FakeAlipayGateway,
  type FakeWechatGateway,
} from './support/fake-payment-gateways';
import { makeAlipayTestMerchant, makeWechatTestMerchant, type WechatVerificationMode } from './support/payment-signers';

/**
 * Round trips of the gateway adapters against fake gateways on 127.0.0.1:0 that verify our request
 * signatures with the merchant public key and sign their answers with the platform key.
 */

const NOW = new Date('2026-11-25T02:00:00Z'); // 10:00 in Beijing
const clock = () => NOW;

function paymentInput<C>(credentials: C, channel: CreatePaymentInput<C>['channel']): CreatePaymentInput<C> {
  return {
    credentials,
    channel,
    outTradeNo: 'P20261125000001',
    amountFen: 12345,
    currency: 'CNY',
    description: '上门按摩 60 分钟',
    expiresAt: new Date('2026-11-25T02:15:00Z'),
    notifyUrl: 'https://api.example.com/payments/callbacks/wechat/t1',
    returnUrl: 'https://shop.example.com/orders/1',
    payer: { clientIp: '203.0.113.7', openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
  };
}

async function rejection(p: Promise<unknown>): Promise<ProviderRequestError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ProviderRequestError);
  return e as ProviderRequestError;
}

describe.each<WechatVerificationMode>(['publicKey', 'certificate'])(
  'WeChat Pay v3 against a fake gateway (%s)',
  (mode) => {
    const m = makeWechatTestMerchant({ mode });
    let gw: FakeWechatGateway;
    let sut: WechatPayV3Provider;
    let creds: WechatPayCredentials;

    beforeAll(async () => {
      gw = await startFakeWechatGateway({
        merchantPublicKey: m.merchant.publicKey,
        mchId: m.credentials.mchId,
        merchantSerialNo: m.credentials.merchantSerialNo,
        platformKey: m.platform.privateKey,
        platformSerial: m.platformSerial,
        clock,
      });
      sut = new WechatPayV3Provider({ baseUrl: gw.baseUrl, clock, nonce: () => 'NONCE0123456789ABCDEF0123456789AB' });
      creds = sut.parseCredentials(m.credentials);
    });
    afterAll(() => gw.close());
    beforeEach(() => {
      gw.tamper = 'none';
      gw.requests.length = 0;
    });

    it('JSAPI prepay: signed request with the documented body, paySign verifies with the merchant key', async () => {
      gw.handle = () => ({ status: 200, body: { prepay_id: 'wx25100000abcdef' } });
      const result = await sut.createPayment(paymentInput(creds, 'jsapi'));

      const req = gw.requests[0]!;
      expect(req.signatureValid).toBe(true);
      expect(req.method).toBe('POST');
      expect(req.url).toBe('/v3/pay/transactions/jsapi');
      expect(JSON.parse(req.body)).toEqual({
        appid: creds.appId,
        mchid: creds.mchId,
        description: '上门按摩 60 分钟',
        out_trade_no: 'P20261125000001',
        time_expire: '2026-11-25T10:15:00+08:00',
        notify_url: 'https://api.example.com/payments/callbacks/wechat/t1',
        amount: { total: 12345, currency: 'CNY' },
        payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
        scene_info: { payer_client_ip: '203.0.113.7' },
      });
      expect(result.kind).toBe('jsapi');
      const params = (result as { params: Record<string, string> }).params;
      expect(params).toMatchObject({
        appId: creds.appId,
        timeStamp: String(NOW.getTime() / 1000),
        nonceStr: 'NONCE0123456789ABCDEF0123456789AB',
        package: 'prepay_id=wx25100000abcdef',
        signType: 'RSA',
      });
      const message = `${params['appId']}\n${params['timeStamp']}\n${params['nonceStr']}\n${params['package']}\n`;
      expect(
        createVerify('RSA-SHA256').update(message).verify(m.merchant.publicKey, params['paySign']!, 'base64'),
      ).toBe(true);
    });

    it('H5 prepay returns h5_url with our redirect_url', async () => {
      gw.handle = () => ({
        status: 200,
        body: { h5_url: 'https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=wx1&package=2' },
      });
      const result = await sut.createPayment(paymentInput(creds, 'h5'));
      expect(gw.requests[0]!.signatureValid).toBe(true);
      expect(JSON.parse(gw.requests[0]!.body).scene_info).toEqual({
        payer_client_ip: '203.0.113.7',
        h5_info: { type: 'Wap' },
      });
      expect(result.kind).toBe('redirect');
      const url = new URL((result as { url: string }).url);
      expect(url.searchParams.get('prepay_id')).toBe('wx1');
      expect(url.searchParams.get('redirect_url')).toBe('https://shop.example.com/orders/1');
    });

    it('query maps trade_state, amount, merchant and success_time; GET with the query string signed', async () => {
      gw.handle = (req) => {
        expect(req.url).toBe(`/v3/pay/transactions/out-trade-no/P20261125000001?mchid=${creds.mchId}`);
        return {
          status: 200,
          body: {
            appid: creds.appId,
            mchid: creds.mchId,
            out_trade_no: 'P20261125000001',
            transaction_id: '4200002026112500001',
            trade_state: 'SUCCESS',
            success_time: '2026-11-25T10:01:02+08:00',
            amount: { total: 12345, payer_total: 12345, currency: 'CNY' },
          },
        };
      };
      expect(await sut.query(creds, 'P20261125000001')).toEqual({
        status: 'succeeded',
        providerTradeNo: '4200002026112500001',
        amountFen: 12345,
        merchantId: creds.mchId,
        paidAt: new Date('2026-11-25T02:01:02Z'),
      });
      expect(gw.requests[0]!.signatureValid).toBe(true);
      expect(gw.requests[0]!.body).toBe('');
    });

    it.each([
      ['NOTPAY', 'pending'],
      ['USERPAYING', 'pending'],
      ['CLOSED', 'closed'],
      ['REVOKED', 'closed'],
      ['PAYERROR', 'failed'],
      ['REFUND', 'succeeded'],
    ])('query trade_state %s → %s', async (state, expected) => {
      gw.handle = () => ({
        status: 200,
        body: { mchid: creds.mchId, out_trade_no: 'P1', trade_state: state, amount: { total: 1 } },
      });
      expect((await sut.query(creds, 'P1')).status).toBe(expected);
    });

    it('query of an unknown order → not_found (ORDER_NOT_EXIST)', async () => {
      gw.handle = () => ({ status: 404, body: { code: 'ORDER_NOT_EXIST', message: '订单不存在' } });
      expect(await sut.query(creds, 'P404')).toEqual({ status: 'not_found' });
    });

    it('refund: signed request, status mapped, business error surfaced with its code', async () => {
      gw.handle = () => ({ status: 200, body: { refund_id: '50000000382019052709732678859', status: 'PROCESSING' } });
      const result = await sut.refund({
        credentials: creds,
        outTradeNo: 'P1',
        outRefundNo: 'R1',
        refundFen: 500,
        totalFen: 12345,
        reason: '顾客取消',
        notifyUrl: 'https://api.example.com/refund-notify',
      });
      expect(result).toEqual({ status: 'processing', providerRefundNo: '50000000382019052709732678859' });
      expect(gw.requests[0]!.signatureValid).toBe(true);
      expect(gw.requests[0]!.url).toBe('/v3/refund/domestic/refunds');
      expect(JSON.parse(gw.requests[0]!.body)).toEqual({
        out_trade_no: 'P1',
        out_refund_no: 'R1',
        reason: '顾客取消',
        notify_url: 'https://api.example.com/refund-notify',
        amount: { refund: 500, total: 12345, currency: 'CNY' },
      });

      gw.handle = () => ({ status: 200, body: { refund_id: 'r2', status: 'SUCCESS' } });
      expect(
        (
          await sut.refund({
            credentials: creds,
            outTradeNo: 'P1',
            outRefundNo: 'R2',
            refundFen: 1,
            totalFen: 2,
            reason: '',
          })
        ).status,
      ).toBe('succeeded');

      gw.handle = () => ({ status: 403, body: { code: 'NOT_ENOUGH', message: '基本账户余额不足' } });
      const e = await rejection(
        sut.refund({ credentials: creds, outTradeNo: 'P1', outRefundNo: 'R3', refundFen: 1, totalFen: 2, reason: '' }),
      );
      expect(e.kind).toBe('rejected');
      expect(e.details).toEqual({ status: 403, code: 'NOT_ENOUGH' });
    });

    it('refund query: GET /v3/refund/domestic/refunds/{out_refund_no}, signed; status, amount and success_time mapped', async () => {
      const query = { credentials: creds, outTradeNo: 'P1', outRefundNo: 'R1' };
      gw.handle = (req) => {
        expect(req.method).toBe('GET');
        expect(req.url).toBe('/v3/refund/domestic/refunds/R1');
        return {
          status: 200,
          body: {
            refund_id: '50300000001',
            out_refund_no: 'R1',
            transaction_id: '4200002026112500001',
            out_trade_no: 'P1',
            channel: 'ORIGINAL',
            user_received_account: '招商银行信用卡0403',
            success_time: '2026-11-25T10:05:00+08:00',
            create_time: '2026-11-25T10:00:00+08:00',
            status: 'SUCCESS',
            funds_account: 'AVAILABLE',
            amount: { total: 12345, refund: 500, payer_total: 12345, payer_refund: 500, currency: 'CNY' },
          },
        };
      };
      expect(await sut.queryRefund(query)).toEqual({
        outRefundNo: 'R1',
        status: 'succeeded',
        refundFen: 500,
        providerRefundNo: '50300000001',
        outTradeNo: 'P1',
        succeededAt: new Date('2026-11-25T02:05:00Z'),
      });
      expect(gw.requests[0]!.signatureValid).toBe(true);

      for (const [state, expected] of [
        ['PROCESSING', 'processing'],
        ['ABNORMAL', 'failed'],
        ['CLOSED', 'failed'],
      ] as const) {
        gw.handle = () => ({
          status: 200,
          body: { out_refund_no: 'R1', out_trade_no: 'P1', status: state, amount: { total: 12345, refund: 500 } },
        });
        expect((await sut.queryRefund(query)).status).toBe(expected);
      }
      gw.handle = () => ({ status: 404, body: { code: 'RESOURCE_NOT_EXISTS', message: '退款单不存在' } });
      expect(await sut.queryRefund(query)).toEqual({ outRefundNo: 'R1', status: 'not_found' });
      gw.tamper = 'body-changed';
      gw.handle = () => ({ status: 200, body: { out_refund_no: 'R1', status: 'SUCCESS', amount: { refund: 1 } } });
      expect((await rejection(sut.queryRefund(query))).kind).toBe('signature');
    });

    it.each(['bad-signature', 'unknown-serial', 'stale-timestamp', 'unsigned', 'body-changed'] as const)(
      'a response that is %s is not trusted',
      async (tamper) => {
        gw.tamper = tamper;
        gw.handle = () => ({
          status: 200,
          body: { mchid: creds.mchId, out_trade_no: 'P1', trade_state: 'SUCCESS', amount: { total: 100 } },
        });
        const e = await rejection(sut.query(creds, 'P1'));
        expect(e.kind).toBe('signature');
      },
    );

    it('a request signed with another merchant key is refused by the gateway (the fake really checks)', async () => {
      const other = makeWechatTestMerchant({ mode });
      const forged = sut.parseCredentials({
        ...m.credentials,
        merchantPrivateKeyPem: other.credentials.merchantPrivateKeyPem,
      });
      gw.handle = () => ({ status: 200, body: {} });
      const e = await rejection(sut.query(forged, 'P1'));
      expect(gw.requests[0]!.signatureValid).toBe(false);
      expect(e.kind).toBe('rejected');
      expect(e.details.code).toBe('SIGN_ERROR');
    });

    it('5xx and connection failures are "unavailable"', async () => {
      gw.handle = () => ({ status: 502, body: { code: 'SYSTEM_ERROR', message: 'x' } });
      expect((await rejection(sut.query(creds, 'P1'))).kind).toBe('unavailable');
      const down = new WechatPayV3Provider({ baseUrl: 'http://127.0.0.1:1', clock });
      expect((await rejection(down.query(creds, 'P1'))).kind).toBe('unavailable');
    });
  },
);

describe('Alipay against a fake gateway', () => {
  const m = makeAlipayTestMerchant({ sellerId: '2088101106499364' });
  let gw: FakeAlipayGateway;
  let sut: AlipayProvider;
  let creds: AlipayCredentials;

  beforeAll(async () => {
    gw = await startFakeAlipayGateway({
      appPublicKey: m.app.publicKey,
      appId: m.credentials.appId,
      alipayKey: m.alipay.privateKey,
    });
    sut = new AlipayProvider({ gateway: gw.gatewayUrl, clock });
    creds = sut.parseCredentials(m.credentials);
  });
  afterAll(() => gw.close());
  beforeEach(() => {
    gw.tamper = 'none';
    gw.requests.length = 0;
  });

  it('trade.query: signed request (RSA2, Beijing timestamp), verified answer mapped exactly', async () => {
    gw.handle = (method, biz, params) => {
      expect(method).toBe('alipay.trade.query');
      expect(biz).toEqual({ out_trade_no: 'P1' });
      expect(params['timestamp']).toBe('2026-11-25 10:00:00');
      return {
        code: '10000',
        msg: 'Success',
        out_trade_no: 'P1',
        trade_no: '2026112522001400001',
        trade_status: 'TRADE_SUCCESS',
        total_amount: '1234.50',
        send_pay_date: '2026-11-25 10:01:02',
      };
    };
    expect(await sut.query(creds, 'P1')).toEqual({
      status: 'succeeded',
      providerTradeNo: '2026112522001400001',
      amountFen: 123450,
      paidAt: new Date('2026-11-25T02:01:02Z'),
    });
    expect(gw.requests[0]!.signatureValid).toBe(true);
  });

  it('trade.query of an unknown order → not_found', async () => {
    gw.handle = () => ({
      code: '40004',
      msg: 'Business Failed',
      sub_code: 'ACQ.TRADE_NOT_EXIST',
      sub_msg: '交易不存在',
    });
    expect(await sut.query(creds, 'P404')).toEqual({ status: 'not_found' });
  });

  it('trade.refund: yuan string from fen, fund_change mapped, business errors surfaced', async () => {
    gw.handle = (method, biz) => {
      expect(method).toBe('alipay.trade.refund');
      expect(biz).toEqual({
        out_trade_no: 'P1',
        out_request_no: 'R1',
        refund_amount: '1234.50',
        refund_reason: '顾客取消',
      });
      return {
        code: '10000',
        msg: 'Success',
        trade_no: '2026112522001400001',
        out_trade_no: 'P1',
        fund_change: 'Y',
        refund_fee: '1234.50',
      };
    };
    const input = {
      credentials: creds,
      outTradeNo: 'P1',
      outRefundNo: 'R1',
      refundFen: 123450,
      totalFen: 200000,
      reason: '顾客取消',
    };
    expect(await sut.refund(input)).toEqual({ status: 'succeeded', providerRefundNo: '2026112522001400001' });

    gw.handle = () => ({ code: '10000', msg: 'Success', trade_no: 't', fund_change: 'N' });
    expect((await sut.refund(input)).status).toBe('processing');

    gw.handle = () => ({
      code: '40004',
      msg: 'Business Failed',
      sub_code: 'ACQ.TRADE_HAS_CLOSE',
      sub_msg: '交易已关闭',
    });
    const e = await rejection(sut.refund(input));
    expect(e.kind).toBe('rejected');
    expect(e.details.code).toBe('ACQ.TRADE_HAS_CLOSE');
  });

  it('fastpay.refund.query: REFUND_SUCCESS (or a synchronous refund without refund_status) → succeeded; no refund data → not_found', async () => {
    const query = { credentials: creds, outTradeNo: 'P1', outRefundNo: 'R1' };
    gw.handle = (method, biz) => {
      expect(method).toBe('alipay.trade.fastpay.refund.query');
      expect(biz).toEqual({ out_trade_no: 'P1', out_request_no: 'R1', query_options: ['gmt_refund_pay'] });
      return {
        code: '10000',
        msg: 'Success',
        trade_no: '2026112522001400001',
        out_trade_no: 'P1',
        out_request_no: 'R1',
        total_amount: '123.45',
        refund_amount: '5.00',
        refund_status: 'REFUND_SUCCESS',
        gmt_refund_pay: '2026-11-25 10:05:00',
      };
    };
    expect(await sut.queryRefund(query)).toEqual({
      outRefundNo: 'R1',
      status: 'succeeded',
      refundFen: 500,
      outTradeNo: 'P1',
      providerRefundNo: '2026112522001400001',
      succeededAt: new Date('2026-11-25T02:05:00Z'),
    });
    expect(gw.requests[0]!.signatureValid).toBe(true);

    gw.handle = () => ({
      code: '10000',
      msg: 'Success',
      out_trade_no: 'P1',
      out_request_no: 'R1',
      refund_amount: '5.00',
    });
    expect((await sut.queryRefund(query)).status).toBe('succeeded');
    gw.handle = () => ({ code: '10000', msg: 'Success', out_trade_no: 'P1', trade_no: '2026112522001400001' });
    expect(await sut.queryRefund(query)).toEqual({ outRefundNo: 'R1', status: 'not_found' });
    gw.handle = () => ({
      code: '40004',
      msg: 'Business Failed',
      sub_code: 'ACQ.TRADE_NOT_EXIST',
      sub_msg: '交易不存在',
    });
    expect((await sut.queryRefund(query)).status).toBe('not_found');
    gw.tamper = 'bad-signature';
    expect((await rejection(sut.queryRefund(query))).kind).toBe('signature');
  });

  it.each(['bad-signature', 'unsigned'] as const)('a response that is %s is not trusted', async (tamper) => {
    gw.tamper = tamper;
    gw.handle = () => ({
      code: '10000',
      msg: 'Success',
      out_trade_no: 'P1',
      trade_status: 'TRADE_SUCCESS',
      total_amount: '1.00',
    });
    expect((await rejection(sut.query(creds, 'P1'))).kind).toBe('signature');
  });

  it('HTTP 500 is "unavailable"', async () => {
    gw.tamper = 'http-500';
    expect((await rejection(sut.query(creds, 'P1'))).kind).toBe('unavailable');
  });

  it('a request signed with another app key is refused by the gateway (the fake really checks)', async () => {
    const other = makeAlipayTestMerchant();
    const forged = sut.parseCredentials({ ...m.credentials, privateKeyPem: other.credentials.privateKeyPem });
    const e = await rejection(sut.query(forged, 'P1'));
    expect(gw.requests[0]!.signatureValid).toBe(false);
    expect(e.kind).toBe('rejected');
    expect(e.details.code).toBe('isv.invalid-signature');
  });
});
