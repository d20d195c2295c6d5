import { createVerify, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  alipayTradeNotifyParams,
  makeAlipayTestMerchant,
  signAlipayNotify,
  type AlipayTestMerchant,
} from '../../../../../test/support/payment-signers';
import { CallbackRejectedError, type VerifiedCallback } from '../payment-provider';
import { InvalidCredentialsError } from '../provider-errors';
import { AlipayProvider } from './alipay.provider';

const NOW = new Date('2026-11-25T02:00:00Z');
const sut = new AlipayProvider({ gateway: 'https://openapi-sandbox.dl.alipaydev.com/gateway.do', clock: () => NOW });
const SELLER = '2088101106499364';

function notify(m: AlipayTestMerchant, params: Partial<Record<string, string>> = {}, key = m.alipay.privateKey) {
  const base = alipayTradeNotifyParams({
    appId: m.credentials.appId,
    outTradeNo: 'P20261125000001',
    totalAmount: '1234.50',
    tradeNo: '2026112522001400001',
    sellerId: SELLER,
    gmtPayment: '2026-11-25 10:00:00',
  });
  return signAlipayNotify({ alipayPrivateKey: key, params: { ...base, ...params } as Record<string, string> });
}

function verify(m: AlipayTestMerchant, rawBody: Buffer): Promise<VerifiedCallback> {
  return sut.verifyCallback({
    credentials: sut.parseCredentials(m.credentials),
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    rawBody,
    now: NOW,
  });
}

async function reason(p: Promise<VerifiedCallback>): Promise<string> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(CallbackRejectedError);
  return (e as CallbackRejectedError).reason;
}

describe('Alipay notifications', () => {
  const m = makeAlipayTestMerchant({ sellerId: SELLER });

  it('a notification signed with the Alipay key verifies and maps (yuan → fen, Beijing time)', async () => {
    expect(await verify(m, notify(m).rawBody)).toEqual({
      outTradeNo: 'P20261125000001',
      providerTradeNo: '2026112522001400001',
      status: 'succeeded',
      amountFen: 123450,
      currency: 'CNY',
      merchantId: SELLER,
      paidAt: new Date('2026-11-25T02:00:00Z'),
      raw: expect.objectContaining({ trade_status: 'TRADE_SUCCESS' }),
    });
  });

  it('values with %, + and non-ASCII characters verify (no double decoding)', async () => {
    const cb = notify(m, { subject: '100% 满意 + 加钟', body: 'a&b=c' });
    expect((await verify(m, cb.rawBody)).status).toBe('succeeded');
  });

  it('empty fields are left out of the signed content, as Alipay signs them', async () => {
    expect((await verify(m, notify(m, { passback_params: '', voucher_detail_list: '' }).rawBody)).status).toBe(
      'succeeded',
    );
  });

  it('a forged signature → signature', async () => {
    const cb = notify(m);
    const forged = new URLSearchParams({ ...cb.params, sign: Buffer.alloc(256, 1).toString('base64') });
    expect(await reason(verify(m, Buffer.from(forged.toString())))).toBe('signature');
  });

  it('signed with another key → signature', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    expect(await reason(verify(m, notify(m, {}, privateKey).rawBody))).toBe('signature');
  });

  it.each([
    ['total_amount', '0.01'],
    ['trade_status', 'TRADE_SUCCESS '],
    ['out_trade_no', 'P20261125000002'],
  ])('a tampered %s → signature', async (field, value) => {
    const cb = notify(m);
    const tampered = new URLSearchParams({ ...cb.params, [field]: value });
    expect(await reason(verify(m, Buffer.from(tampered.toString())))).toBe('signature');
  });

  it('an added field → signature', async () => {
    const tampered = new URLSearchParams({ ...notify(m).params, refund_fee: '1.00' });
    expect(await reason(verify(m, Buffer.from(tampered.toString())))).toBe('signature');
  });

  it('no sign, or sign_type RSA (SHA1) → signature', async () => {
    const { sign: _sign, ...unsigned } = notify(m).params;
    expect(await reason(verify(m, Buffer.from(new URLSearchParams(unsigned).toString())))).toBe('signature');
    const rsa1 = new URLSearchParams({ ...notify(m).params, sign_type: 'RSA' });
    expect(await reason(verify(m, Buffer.from(rsa1.toString())))).toBe('signature');
  });

  it('another app or seller, correctly signed → merchant', async () => {
    expect(await reason(verify(m, notify(m, { app_id: '2021000000000001' }).rawBody))).toBe('merchant');
    expect(await reason(verify(m, notify(m, { seller_id: '2088000000000001' }).rawBody))).toBe('merchant');
  });

  it('without a configured seller id the app id is the merchant id', async () => {
    const noSeller = makeAlipayTestMerchant();
    expect((await verify(noSeller, notify(noSeller).rawBody)).merchantId).toBe(noSeller.credentials.appId);
  });

  it.each([
    ['TRADE_SUCCESS', 'succeeded'],
    ['TRADE_FINISHED', 'succeeded'],
    ['WAIT_BUYER_PAY', 'pending'],
    ['TRADE_CLOSED', 'closed'],
  ])('trade_status %s → %s', async (status, expected) => {
    expect((await verify(m, notify(m, { trade_status: status }).rawBody)).status).toBe(expected);
  });

  it.each([
    ['0.01', 1],
    ['10', 1000],
  ])('total_amount %s → %d fen', async (yuan, fen) => {
    expect((await verify(m, notify(m, { total_amount: yuan }).rawBody)).amountFen).toBe(fen);
  });

  it('total_amount 1.001 (correctly signed) → malformed', async () => {
    expect(await reason(verify(m, notify(m, { total_amount: '1.001' }).rawBody))).toBe('malformed');
  });

  it('replies with the literal body success / fail as text/plain', () => {
    expect(sut.callbackReply(true)).toEqual({
      status: 200,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: 'success',
    });
    expect(sut.callbackReply(false).body).toBe('fail');
  });
});

describe('Alipay WAP pay', () => {
  it('returns a gateway URL whose RSA2 signature verifies independently with the app public key', async () => {
    const m = makeAlipayTestMerchant();
    const creds = sut.parseCredentials(m.credentials);
    const result = await sut.createPayment({
      credentials: creds,
      channel: 'wap',
      outTradeNo: 'P20261125000001',
      amountFen: 1,
      currency: 'CNY',
      description: '上门按摩 60 分钟',
      expiresAt: new Date('2026-11-25T02:15:00Z'),
      notifyUrl: 'https://api.example.com/payments/callbacks/alipay/t1',
      returnUrl: 'https://shop.example.com/orders/1',
      payer: { clientIp: '203.0.113.7' },
    });
    expect(result.kind).toBe('redirect');
    const url = new URL((result as { url: string }).url);
    expect(url.origin + url.pathname).toBe('https://openapi-sandbox.dl.alipaydev.com/gateway.do');
    const params = Object.fromEntries(url.searchParams);
    expect(params).toMatchObject({
      app_id: m.credentials.appId,
      method: 'alipay.trade.wap.pay',
      sign_type: 'RSA2',
      charset: 'utf-8',
      timestamp: '2026-11-25 10:00:00',
      notify_url: 'https://api.example.com/payments/callbacks/alipay/t1',
      return_url: 'https://shop.example.com/orders/1',
    });
    expect(JSON.parse(params['biz_content']!)).toEqual({
      out_trade_no: 'P20261125000001',
      total_amount: '0.01',
      subject: '上门按摩 60 分钟',
      product_code: 'QUICK_WAP_WAY',
      quit_url: 'https://shop.example.com/orders/1',
      time_expire: '2026-11-25 10:15:00',
    });
    // Request signing: every parameter except sign (sign_type included), sorted, raw values.
    const content = Object.keys(params)
      .filter((k) => k !== 'sign')
      .sort()
      .map((k) => `${k}=${params[k]}`)
      .join('&');
    const verifier = createVerify('RSA-SHA256').update(content, 'utf8');
    expect(verifier.verify(m.app.publicKey, params['sign']!, 'base64')).toBe(true);
    const { privateKey: _p, publicKey: stranger } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    expect(createVerify('RSA-SHA256').update(content, 'utf8').verify(stranger, params['sign']!, 'base64')).toBe(false);
  });

  it('refuses the JSAPI channel', async () => {
    const m = makeAlipayTestMerchant();
    await expect(
      sut.createPayment({
        credentials: sut.parseCredentials(m.credentials),
        channel: 'jsapi',
        outTradeNo: 'P1',
        amountFen: 1,
        currency: 'CNY',
        description: 'x',
        expiresAt: NOW,
        notifyUrl: 'https://a/n',
        returnUrl: 'https://a/r',
        payer: { clientIp: '203.0.113.7' },
      }),
    ).rejects.toThrow(RangeError);
  });
});

describe('Alipay credentials', () => {
  it('accepts bare base64 PKCS#1 / PKCS#8 keys (as Alipay key tools produce) and normalises them to PEM', () => {
    const m = makeAlipayTestMerchant();
    const bare = (pem: string) => pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    const pkcs1 = m.app.privateKey.export({ type: 'pkcs1', format: 'der' }).toString('base64');
    const parsed = sut.parseCredentials({
      ...m.credentials,
      privateKeyPem: pkcs1,
      alipayPublicKeyPem: bare(m.credentials.alipayPublicKeyPem),
    });
    expect(parsed.privateKeyPem).toBe(m.credentials.privateKeyPem);
    expect(parsed.alipayPublicKeyPem).toBe(m.credentials.alipayPublicKeyPem);
  });

  it('names each bad field', () => {
    const m = makeAlipayTestMerchant();
    try {
      sut.parseCredentials({ ...m.credentials, appId: 'abc', sellerId: '123' });
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidCredentialsError);
      expect((e as InvalidCredentialsError).fields.map((f) => f.field).sort()).toEqual(['appId', 'sellerId']);
    }
    expect(() => sut.parseCredentials({ ...m.credentials, alipayPublicKeyPem: 'garbage' })).toThrow(
      InvalidCredentialsError,
    );
  });
});
