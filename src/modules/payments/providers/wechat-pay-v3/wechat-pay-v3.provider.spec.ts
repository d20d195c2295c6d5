import { describe, expect, it } from 'vitest';
import {
  encryptWechatResource,
  makeWechatTestMerchant,
  signWechatCallback,
  wechatPlatformSignature,
  wechatRefund,
  wechatTransaction,
  type WechatTestMerchant,
} from '../../../../../test/support/payment-signers';
import { CallbackRejectedError } from '../payment-provider';
import { InvalidCredentialsError } from '../provider-errors';
import { WechatPayV3Provider } from './wechat-pay-v3.provider';

const NOW = new Date('2026-11-25T02:00:00Z');
const sut = new WechatPayV3Provider();

function callback(m: WechatTestMerchant, overrides: Partial<Parameters<typeof signWechatCallback>[0]> = {}) {
  return signWechatCallback({
    platformKey: m.platform.privateKey,
    serial: m.platformSerial,
    apiV3Key: m.credentials.apiV3Key,
    resource: wechatTransaction({
      appid: m.credentials.appId,
      mchid: m.credentials.mchId,
      outTradeNo: 'P20261125000001',
      totalFen: 12345,
      transactionId: '4200002026112500001',
      successTime: '2026-11-25T10:00:00+08:00',
    }),
    timestamp: NOW,
    ...overrides,
  });
}

async function verify(m: WechatTestMerchant, cb: { headers: Record<string, string>; rawBody: Buffer }, now = NOW) {
  return sut.verifyCallback({ credentials: sut.parseCredentials(m.credentials), ...cb, now });
}

async function reason(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(CallbackRejectedError);
  return (e as CallbackRejectedError).reason;
}

describe.each(['publicKey', 'certificate'] as const)('WeChat Pay v3 callbacks (%s mode)', (mode) => {
  const m = makeWechatTestMerchant({ mode });

  it('a valid callback verifies, decrypts and maps', async () => {
    expect(await verify(m, callback(m))).toEqual({
      outTradeNo: 'P20261125000001',
      providerTradeNo: '4200002026112500001',
      status: 'succeeded',
      amountFen: 12345,
      currency: 'CNY',
      merchantId: m.credentials.mchId,
      paidAt: new Date('2026-11-25T02:00:00Z'),
      raw: expect.objectContaining({ trade_state: 'SUCCESS' }),
    });
  });

  it('headers are matched case-insensitively and may be arrays (as Node gives them)', async () => {
    const cb = callback(m);
    const headers = Object.fromEntries(Object.entries(cb.headers).map(([k, v]) => [k.toUpperCase(), [v]]));
    expect(
      (
        await sut.verifyCallback({
          credentials: sut.parseCredentials(m.credentials),
          headers,
          rawBody: cb.rawBody,
          now: NOW,
        })
      ).amountFen,
    ).toBe(12345);
  });

  it('a forged signature → signature', async () => {
    const cb = callback(m);
    cb.headers['wechatpay-signature'] = Buffer.alloc(256, 7).toString('base64');
    expect(await reason(verify(m, cb))).toBe('signature');
  });

  it('signed with another key under our serial → signature', async () => {
    const other = makeWechatTestMerchant({ mode });
    expect(await reason(verify(m, callback(m, { platformKey: other.platform.privateKey })))).toBe('signature');
  });

  it('a tampered body (one byte) → signature', async () => {
    const cb = callback(m);
    const tampered = { ...cb, rawBody: Buffer.from(cb.body.replace('"summary":"支付成功"', '"summary":"支付成功 "')) };
    expect(await reason(verify(m, tampered))).toBe('signature');
  });

  it('a tampered signed header (nonce) → signature', async () => {
    const cb = callback(m);
    cb.headers['wechatpay-nonce'] = `${cb.headers['wechatpay-nonce']}x`;
    expect(await reason(verify(m, cb))).toBe('signature');
  });

  it.each([
    ['6 minutes old', -360],
    ['6 minutes in the future', 360],
  ])('a timestamp %s → timestamp', async (_label, offset) => {
    const cb = callback(m, { timestamp: NOW.getTime() / 1000 + offset });
    expect(await reason(verify(m, cb))).toBe('timestamp');
  });

  it('exactly 5 minutes either way is still accepted', async () => {
    expect((await verify(m, callback(m, { timestamp: NOW.getTime() / 1000 - 300 }))).status).toBe('succeeded');
    expect((await verify(m, callback(m, { timestamp: NOW.getTime() / 1000 + 300 }))).status).toBe('succeeded');
  });

  it('an unknown Wechatpay-Serial → signature', async () => {
    const serial =
      mode === 'publicKey' ? 'PUB_KEY_ID_0114232025110500000000000000' : '1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C';
    expect(await reason(verify(m, callback(m, { serial })))).toBe('signature');
  });

  it('missing signature headers → malformed', async () => {
    const cb = callback(m);
    delete cb.headers['wechatpay-signature'];
    expect(await reason(verify(m, cb))).toBe('malformed');
  });

  it('a resource encrypted with another APIv3 key → decrypt', async () => {
    expect(await reason(verify(m, callback(m, { apiV3Key: 'abcdefghijklmnopqrstuvwxyz012345' })))).toBe('decrypt');
  });

  it.each([
    ['the last tag byte', (length: number) => length - 1],
    ['the first ciphertext byte', () => 0],
  ])('flipping %s (re-signed, so only the AEAD check can catch it) → decrypt', async (_label, at) => {
    const envelope = JSON.parse(callback(m).body) as { resource: { ciphertext: string } };
    const ct = Buffer.from(envelope.resource.ciphertext, 'base64');
    const index = at(ct.length);
    ct[index] = ct[index]! ^ 1;
    envelope.resource.ciphertext = ct.toString('base64');
    expect(await reason(verify(m, resign(m, envelope)))).toBe('decrypt');
  });

  it('wrong associated_data (re-signed) → decrypt', async () => {
    const envelope = JSON.parse(callback(m).body) as { resource: { associated_data: string } };
    envelope.resource.associated_data = 'refund';
    expect(await reason(verify(m, resign(m, envelope)))).toBe('decrypt');
  });

  it('another merchant or app inside a correctly signed resource → merchant', async () => {
    const other = wechatTransaction({ appid: m.credentials.appId, mchid: '1900000109', outTradeNo: 'P1', totalFen: 1 });
    expect(await reason(verify(m, callback(m, { resource: other })))).toBe('merchant');
    const otherApp = wechatTransaction({
      appid: 'wx0000000000000000',
      mchid: m.credentials.mchId,
      outTradeNo: 'P1',
      totalFen: 1,
    });
    expect(await reason(verify(m, callback(m, { resource: otherApp })))).toBe('merchant');
  });

  it('a refund notification is not taken for a payment → malformed', async () => {
    expect(await reason(verify(m, callback(m, { eventType: 'REFUND.SUCCESS' })))).toBe('malformed');
  });

  it.each([
    ['SUCCESS', 'succeeded'],
    ['NOTPAY', 'pending'],
    ['CLOSED', 'closed'],
    ['PAYERROR', 'failed'],
    ['REFUND', 'succeeded'],
  ])('trade_state %s → %s', async (tradeState, expected) => {
    const resource = wechatTransaction({
      appid: m.credentials.appId,
      mchid: m.credentials.mchId,
      outTradeNo: 'P1',
      totalFen: 1,
      tradeState,
    });
    expect((await verify(m, callback(m, { resource }))).status).toBe(expected);
  });

  it('an amount that is not an integer of fen → malformed', async () => {
    const resource = wechatTransaction({
      appid: m.credentials.appId,
      mchid: m.credentials.mchId,
      outTradeNo: 'P1',
      totalFen: 12.5,
    });
    expect(await reason(verify(m, callback(m, { resource })))).toBe('malformed');
  });
});

it('a platform certificate outside its validity period is not trusted', async () => {
  const m = makeWechatTestMerchant({ mode: 'certificate' });
  const later = new Date('2051-01-01T00:00:00Z'); // the test certificates expire at the end of 2049
  expect(await reason(verify(m, callback(m, { timestamp: later }), later))).toBe('signature');
});

it('both verification modes configured at once (migration period): either serial verifies', async () => {
  const cert = makeWechatTestMerchant({ mode: 'certificate' });
  const pub = makeWechatTestMerchant({ mode: 'publicKey' });
  const both = { ...cert, credentials: { ...cert.credentials, platformPublicKey: pub.credentials.platformPublicKey } };
  expect((await verify(both, callback(cert))).status).toBe('succeeded');
  const viaPub = callback(cert, { platformKey: pub.platform.privateKey, serial: pub.platformSerial });
  expect((await verify(both, viaPub)).status).toBe('succeeded');
});

describe('WeChat Pay v3 refund notifications (REFUND.*)', () => {
  const m = makeWechatTestMerchant();
  const refundCallback = (over: Partial<Parameters<typeof wechatRefund>[0]> = {}, eventType = 'REFUND.SUCCESS') =>
    signWechatCallback({
      platformKey: m.platform.privateKey,
      serial: m.platformSerial,
      apiV3Key: m.credentials.apiV3Key,
      resource: wechatRefund({
        mchid: m.credentials.mchId,
        outTradeNo: 'P1',
        outRefundNo: 'R1',
        refundFen: 500,
        totalFen: 12345,
        refundId: '50300000001',
        ...over,
      }),
      eventType,
      associatedData: 'refund',
      timestamp: NOW,
    });
  const verifyRefund = (cb: { headers: Record<string, string>; rawBody: Buffer }) =>
    sut.verifyRefundCallback({ credentials: sut.parseCredentials(m.credentials), ...cb, now: NOW });

  it('are told apart from payment notifications by event_type (routing only)', () => {
    expect(sut.isRefundNotification(refundCallback().rawBody)).toBe(true);
    expect(sut.isRefundNotification(callback(m).rawBody)).toBe(false);
    expect(sut.isRefundNotification(Buffer.from('not json'))).toBe(false);
  });

  it('a valid REFUND.SUCCESS verifies, decrypts and maps', async () => {
    expect(await verifyRefund(refundCallback())).toEqual({
      outRefundNo: 'R1',
      outTradeNo: 'P1',
      providerRefundNo: '50300000001',
      status: 'succeeded',
      refundFen: 500,
      merchantId: m.credentials.mchId,
      succeededAt: new Date('2026-11-25T02:05:00Z'),
      raw: expect.objectContaining({ refund_status: 'SUCCESS', user_received_account: '招商银行信用卡0403' }),
    });
  });

  it.each([
    ['ABNORMAL', 'REFUND.ABNORMAL'],
    ['CLOSED', 'REFUND.CLOSED'],
  ] as const)('refund_status %s (%s) → failed', async (refundStatus, eventType) => {
    expect((await verifyRefund(refundCallback({ refundStatus }, eventType))).status).toBe('failed');
  });

  it('a tampered body → signature; another APIv3 key → decrypt; another merchant → merchant', async () => {
    const cb = refundCallback();
    const tampered = { ...cb, rawBody: Buffer.from(cb.body.replace('退款成功', '退款成功 ')) };
    expect(await reason(verifyRefund(tampered))).toBe('signature');
    const wrongKey = signWechatCallback({
      platformKey: m.platform.privateKey,
      serial: m.platformSerial,
      apiV3Key: 'abcdefghijklmnopqrstuvwxyz012345',
      resource: wechatRefund({
        mchid: m.credentials.mchId,
        outTradeNo: 'P1',
        outRefundNo: 'R1',
        refundFen: 1,
        totalFen: 1,
      }),
      eventType: 'REFUND.SUCCESS',
      associatedData: 'refund',
      timestamp: NOW,
    });
    expect(await reason(verifyRefund(wrongKey))).toBe('decrypt');
    expect(await reason(verifyRefund(refundCallback({ mchid: '1900000109' })))).toBe('merchant');
  });

  it('a payment notification is not taken for a refund, nor a refund without its amount → malformed', async () => {
    expect(await reason(verifyRefund(callback(m)))).toBe('malformed');
    const noAmount = signWechatCallback({
      platformKey: m.platform.privateKey,
      serial: m.platformSerial,
      apiV3Key: m.credentials.apiV3Key,
      resource: { mchid: m.credentials.mchId, out_refund_no: 'R1', refund_status: 'SUCCESS' },
      eventType: 'REFUND.SUCCESS',
      associatedData: 'refund',
      timestamp: NOW,
    });
    expect(await reason(verifyRefund(noAmount))).toBe('malformed');
  });
});

describe('WeChat Pay v3 credentials and replies', () => {
  it('rejects a short APIv3 key, a bad platform key id and a certificate whose serial differs', () => {
    const m = makeWechatTestMerchant({ mode: 'certificate' });
    const fieldsOf = (input: unknown) => {
      try {
        sut.parseCredentials(input);
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidCredentialsError);
        return (e as InvalidCredentialsError).fields.map((f) => f.field);
      }
      throw new Error('accepted');
    };
    expect(fieldsOf({ ...m.credentials, apiV3Key: 'short' })).toEqual(['apiV3Key']);
    expect(fieldsOf({ ...m.credentials, platformCertificates: undefined })).toEqual(['platformPublicKey']);
    expect(fieldsOf({ ...m.credentials, platformPublicKey: { id: 'KEY1', pem: 'x' } })).toEqual([
      'platformPublicKey.id',
    ]);
    const cert = m.credentials.platformCertificates![0]!;
    expect(fieldsOf({ ...m.credentials, platformCertificates: [{ ...cert, serialNo: 'ABCDEF12' }] })).toEqual([
      'platformCertificates.0.pem',
    ]);
    expect(fieldsOf({ ...m.credentials, merchantPrivateKeyPem: 'not a key' })).toEqual(['merchantPrivateKeyPem']);
  });

  it('acknowledges with 204 and no body; refuses with 5xx and {code: FAIL} so WeChat retries', () => {
    expect(sut.callbackReply(true)).toEqual({ status: 204, headers: {}, body: '' });
    const fail = sut.callbackReply(false);
    expect(fail.status).toBeGreaterThanOrEqual(400);
    expect(JSON.parse(fail.body)).toMatchObject({ code: 'FAIL' });
  });
});

/** Re-signs a modified envelope with the real platform key, so only the AEAD check is left to fail. */
function resign(m: WechatTestMerchant, envelope: unknown) {
  const body = JSON.stringify(envelope);
  const timestamp = String(NOW.getTime() / 1000);
  return {
    headers: {
      'wechatpay-timestamp': timestamp,
      'wechatpay-nonce': 'n1',
      'wechatpay-serial': m.platformSerial,
      'wechatpay-signature': wechatPlatformSignature(m.platform.privateKey, timestamp, 'n1', body),
    },
    rawBody: Buffer.from(body),
  };
}

// Keeps the helper's encryption exercised directly too (used by the payments integration tests).
it('encryptWechatResource output decrypts through the adapter', async () => {
  const m = makeWechatTestMerchant();
  const resource = encryptWechatResource({
    apiV3Key: m.credentials.apiV3Key,
    plaintext: JSON.stringify(
      wechatTransaction({ appid: m.credentials.appId, mchid: m.credentials.mchId, outTradeNo: 'X', totalFen: 7 }),
    ),
  });
  const envelope = { event_type: 'TRANSACTION.SUCCESS', resource };
  expect((await verify(m, resign(m, envelope))).amountFen).toBe(7);
});
