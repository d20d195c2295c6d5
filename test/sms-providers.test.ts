import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config';
import { AliyunSmsProvider, type AliyunSmsOptions } from '../src/platform/sms/aliyun/aliyun-sms.provider';
import { SmsSendError, type SmsFailure } from '../src/platform/sms/sms-errors';
import { TencentSmsProvider, type TencentSmsOptions } from '../src/platform/sms/tencent/tencent-sms.provider';
import { newIp, newPhone } from './support/auth-client';
import { Factory, type TestTenant } from './support/factories';
import {
  startFakeAliyunSmsGateway,
  startFakeTencentSmsGateway,
  type FakeSmsGateway,
} from './support/fake-sms-gateways';
import { createTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';

/**
 * The Aliyun and Tencent SMS providers against fake gateways on 127.0.0.1:0 that recompute our
 * request signatures with the account secret (their own code, see fake-sms-gateways.ts) and answer
 * the way the real gateways do. The published signing examples are checked in the signers' specs.
 */

const NOW = new Date('2026-11-25T02:00:00Z');
const clock = () => NOW;
const TEMPLATES = { login_code: 'SMS_100001', technician_review: 'SMS_100002', notification: 'SMS_100003' };
const ALIYUN_KEYS = { accessKeyId: 'LTAI5tTestKeyId0001', accessKeySecret: 'aliyun-test-secret-0001' };
const TENCENT_KEYS = { secretId: 'AKIDtestSecretId0001', secretKey: 'tencent-test-secret-0001' };

async function failureOf(p: Promise<unknown>): Promise<SmsSendError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(SmsSendError);
  return e as SmsSendError;
}

function expectFailure(e: SmsSendError, failure: SmsFailure, status: number, code: string): void {
  expect(e.failure).toBe(failure);
  expect(e.getStatus()).toBe(status);
  expect(e.getResponse()).toMatchObject({ code });
}

describe('Aliyun SMS (Dysmsapi SendSms, ACS3-HMAC-SHA256) against a fake gateway', () => {
  let gw: FakeSmsGateway;
  const provider = (over: Partial<AliyunSmsOptions> = {}) =>
    new AliyunSmsProvider({
      ...ALIYUN_KEYS,
      signName: '上门到家',
      templates: TEMPLATES,
      endpoint: gw.url,
      timeoutMs: 2_000,
      clock,
      ...over,
    });

  beforeAll(async () => {
    gw = await startFakeAliyunSmsGateway({ ...ALIYUN_KEYS, clock });
  });
  afterAll(() => gw.close());
  beforeEach(() => {
    gw.requests.length = 0;
    gw.hang = false;
    gw.handle = () => ({
      status: 200,
      body: { Code: 'OK', Message: 'OK', BizId: '900619746936498440^0', RequestId: 'F655A8D5-B967-440B-8683' },
    });
  });

  it('sends a signed SendSms with the documented parameters; the gateway verifies the signature', async () => {
    await provider().send('13912345678', 'login_code', { code: '123456', minutes: '5' });

    expect(gw.requests).toHaveLength(1);
    const req = gw.requests[0]!;
    expect(req.signatureProblem).toBeUndefined();
    expect(req.signatureValid).toBe(true);
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/');
    expect(req.body).toBe('');
    expect(req.headers['x-acs-action']).toBe('SendSms');
    expect(req.headers['x-acs-version']).toBe('2017-05-25');
    expect(req.headers['x-acs-date']).toBe('2026-11-25T02:00:00Z');
    expect(req.headers['x-acs-signature-nonce']).toMatch(/^[0-9a-f]{32}$/);
    expect(req.headers.authorization).toMatch(
      /^ACS3-HMAC-SHA256 Credential=LTAI5tTestKeyId0001,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=[0-9a-f]{64}$/,
    );
    expect(req.query).toEqual({
      PhoneNumbers: '13912345678',
      SignName: '上门到家',
      TemplateCode: 'SMS_100001',
      TemplateParam: '{"code":"123456","minutes":"5"}',
    });
  });

  it('signs text that needs percent-encoding (UTF-8, spaces, *, quotes) and uses a fresh nonce per message', async () => {
    const sut = provider();
    const params = { title: '订单已接单 (Order *accepted*)', body: "技师 'A' 将于 10:30 到达 — 100% on time!" };
    await sut.send('13912345678', 'notification', params);
    await sut.send('13912345678', 'notification', params);

    expect(gw.requests.map((r) => r.signatureProblem)).toEqual([undefined, undefined]);
    expect(JSON.parse(gw.requests[0]!.query.TemplateParam!)).toEqual(params);
    expect(gw.requests[0]!.query.TemplateCode).toBe('SMS_100003');
    expect(gw.requests[0]!.headers['x-acs-signature-nonce']).not.toBe(gw.requests[1]!.headers['x-acs-signature-nonce']);
  });

  it('a request signed with the wrong secret is refused by the gateway and surfaces as a rejection', async () => {
    const e = await failureOf(
      provider({ accessKeySecret: 'not-the-secret' }).send('13912345678', 'login_code', { code: '1', minutes: '5' }),
    );
    expect(gw.requests[0]!.signatureValid).toBe(false);
    expectFailure(e, 'rejected', 502, 'SMS_REJECTED');
    expect(e.gatewayCode).toBe('SignatureDoesNotMatch');
    expect(e.message).toContain('SignatureDoesNotMatch');
    expect(gw.requests).toHaveLength(1); // not retried by the provider
  });

  it.each<[string, SmsFailure, number, string]>([
    ['isv.BUSINESS_LIMIT_CONTROL', 'rate_limited', 429, 'SMS_RATE_LIMITED'],
    ['isv.DAY_LIMIT_CONTROL', 'rate_limited', 429, 'SMS_RATE_LIMITED'],
    ['isv.MOBILE_NUMBER_ILLEGAL', 'invalid_number', 400, 'SMS_INVALID_NUMBER'],
    ['isv.SMS_TEMPLATE_ILLEGAL', 'rejected', 502, 'SMS_REJECTED'],
    ['isv.AMOUNT_NOT_ENOUGH', 'rejected', 502, 'SMS_REJECTED'],
    ['isp.SYSTEM_ERROR', 'unavailable', 503, 'SMS_UNAVAILABLE'],
  ])('gateway Code %s → %s (HTTP %i)', async (code, failure, status, publicCode) => {
    gw.handle = () => ({ status: 200, body: { Code: code, Message: `message for ${code}`, RequestId: 'R-1' } });
    const e = await failureOf(provider().send('13912345678', 'login_code', { code: '123456', minutes: '5' }));
    expect(gw.requests[0]!.signatureValid).toBe(true);
    expectFailure(e, failure, status, publicCode);
    expect(e.gatewayCode).toBe(code);
    expect(e.message).toBe(`aliyun SMS ${failure}: ${code}: message for ${code} (HTTP 200, RequestId R-1)`);
    // The caller sees the generic wording, never the gateway's.
    expect(JSON.stringify(e.getResponse())).not.toContain(code);
  });

  it('a gateway rate limit tells the caller when to retry', async () => {
    gw.handle = () => ({ status: 200, body: { Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: '触发分钟级流控' } });
    const e = await failureOf(provider().send('13912345678', 'login_code', { code: '123456', minutes: '5' }));
    expect(e.getResponse()).toMatchObject({ retryAfterSeconds: 60 });
  });

  it('a 5xx answer that is not JSON is "unavailable"', async () => {
    gw.handle = () => ({ status: 502, body: '<html>Bad Gateway</html>' });
    const e = await failureOf(provider().send('13912345678', 'login_code', { code: '123456', minutes: '5' }));
    expectFailure(e, 'unavailable', 503, 'SMS_UNAVAILABLE');
  });

  it('gives up after the timeout when the gateway does not answer', async () => {
    gw.hang = true;
    const started = Date.now();
    const e = await failureOf(
      provider({ timeoutMs: 150 }).send('13912345678', 'login_code', { code: '123456', minutes: '5' }),
    );
    expectFailure(e, 'unavailable', 503, 'SMS_UNAVAILABLE');
    expect(e.message).toContain('no answer within 150 ms');
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(gw.requests).toHaveLength(1);
  });

  it('refuses to send a template without its variables (no partial message leaves)', async () => {
    await expect(provider().send('13912345678', 'login_code', { code: '123456' })).rejects.toThrow(
      /login_code needs the parameter "minutes"/,
    );
    expect(gw.requests).toHaveLength(0);
  });
});

describe('Tencent Cloud SMS (SendSms 2021-01-11, TC3-HMAC-SHA256) against a fake gateway', () => {
  let gw: FakeSmsGateway;
  const provider = (over: Partial<TencentSmsOptions> = {}) =>
    new TencentSmsProvider({
      ...TENCENT_KEYS,
      sdkAppId: '1400006666',
      region: 'ap-guangzhou',
      signName: '上门到家',
      templates: { login_code: '449739', technician_review: '449740', notification: '449741' },
      endpoint: gw.url,
      timeoutMs: 2_000,
      clock,
      ...over,
    });
  const sendStatus = (code: string, message: string) => ({
    status: 200,
    body: {
      Response: {
        SendStatusSet: [
          {
            SerialNo: '5000:1045710669157053657849499619',
            PhoneNumber: '+8613912345678',
            Fee: 1,
            SessionContext: '',
            Code: code,
            Message: message,
            IsoCode: 'CN',
          },
        ],
        RequestId: 'a0aabda6-cf91-4f3e-a81f-9198114a2279',
      },
    },
  });

  beforeAll(async () => {
    gw = await startFakeTencentSmsGateway({ ...TENCENT_KEYS, clock });
  });
  afterAll(() => gw.close());
  beforeEach(() => {
    gw.requests.length = 0;
    gw.hang = false;
    gw.handle = () => sendStatus('Ok', 'send success');
  });

  it('sends a signed SendSms with the documented body; the gateway verifies the signature', async () => {
    await provider().send('13912345678', 'login_code', { code: '123456', minutes: '5' });

    const req = gw.requests[0]!;
    expect(req.signatureProblem).toBeUndefined();
    expect(req.signatureValid).toBe(true);
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/');
    expect(req.headers['x-tc-action']).toBe('SendSms');
    expect(req.headers['x-tc-version']).toBe('2021-01-11');
    expect(req.headers['x-tc-region']).toBe('ap-guangzhou');
    expect(req.headers['x-tc-timestamp']).toBe(String(NOW.getTime() / 1000));
    expect(req.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(req.headers.authorization).toMatch(
      /^TC3-HMAC-SHA256 Credential=AKIDtestSecretId0001\/2026-11-25\/sms\/tc3_request, SignedHeaders=content-type;host, Signature=[0-9a-f]{64}$/,
    );
    expect(JSON.parse(req.body)).toEqual({
      PhoneNumberSet: ['+8613912345678'],
      SmsSdkAppId: '1400006666',
      SignName: '上门到家',
      TemplateId: '449739',
      TemplateParamSet: ['123456', '5'],
    });
  });

  it('passes template values in the positional order of each template', async () => {
    await provider().send('13912345678', 'technician_review', { result: '已通过', store: '静安足道' });
    expect(JSON.parse(gw.requests[0]!.body)).toMatchObject({
      TemplateId: '449740',
      TemplateParamSet: ['静安足道', '已通过'],
    });
  });

  it('a request signed with the wrong key comes back as Response.Error and surfaces as a rejection', async () => {
    const e = await failureOf(
      provider({ secretKey: 'not-the-key' }).send('13912345678', 'login_code', { code: '1', minutes: '5' }),
    );
    expect(gw.requests[0]!.signatureValid).toBe(false);
    expectFailure(e, 'rejected', 502, 'SMS_REJECTED');
    expect(e.gatewayCode).toBe('AuthFailure.SignatureFailure');
  });

  it.each<[string, SmsFailure, number]>([
    ['LimitExceeded.PhoneNumberThirtySecondLimit', 'rate_limited', 429],
    ['LimitExceeded.PhoneNumberDailyLimit', 'rate_limited', 429],
    ['InvalidParameterValue.IncorrectPhoneNumber', 'invalid_number', 400],
    ['FailedOperation.TemplateIncorrectOrUnapproved', 'rejected', 502],
    ['FailedOperation.InsufficientBalanceInSmsPackage', 'rejected', 502],
  ])('send status %s → %s (HTTP %i)', async (code, failure, status) => {
    gw.handle = () => sendStatus(code, `message for ${code}`);
    const e = await failureOf(provider().send('13912345678', 'login_code', { code: '123456', minutes: '5' }));
    expect(e.failure).toBe(failure);
    expect(e.getStatus()).toBe(status);
    expect(e.gatewayCode).toBe(code);
    expect(e.message).toContain(`${code}: message for ${code}`);
  });

  it('a Response.Error from the API layer is mapped too (RequestLimitExceeded → rate_limited)', async () => {
    gw.handle = () => ({
      status: 200,
      body: { Response: { Error: { Code: 'RequestLimitExceeded', Message: 'too fast' }, RequestId: 'r' } },
    });
    const e = await failureOf(provider().send('13912345678', 'login_code', { code: '123456', minutes: '5' }));
    expect(e.failure).toBe('rate_limited');
  });

  it('an answer without a send status is not taken as success', async () => {
    gw.handle = () => ({ status: 200, body: { Response: { RequestId: 'r' } } });
    const e = await failureOf(provider().send('13912345678', 'login_code', { code: '123456', minutes: '5' }));
    expectFailure(e, 'rejected', 502, 'SMS_REJECTED');
  });

  it('gives up after the timeout when the gateway does not answer', async () => {
    gw.hang = true;
    const e = await failureOf(
      provider({ timeoutMs: 150 }).send('13912345678', 'login_code', { code: '123456', minutes: '5' }),
    );
    expectFailure(e, 'unavailable', 503, 'SMS_UNAVAILABLE');
    expect(e.message).toContain('no answer within 150 ms');
  });
});

describe('SMS configuration at boot', () => {
  const key = Buffer.alloc(32, 1).toString('base64');
  const base = {
    APP_DATABASE_URL: 'postgres://massage_app@127.0.0.1:5432/massage',
    JWT_SECRET: 'x'.repeat(32),
    DATA_ENCRYPTION_KEY: key,
    LOOKUP_HASH_KEY: key,
    SMTP_URL: 'smtp://127.0.0.1:2525',
  };
  const gatewayCommon = {
    SMS_SIGN_NAME: '上门到家',
    SMS_TEMPLATE_LOGIN_CODE: 'SMS_1',
    SMS_TEMPLATE_TECHNICIAN_REVIEW: 'SMS_2',
    SMS_TEMPLATE_NOTIFICATION: 'SMS_3',
  };

  it('names every variable a gateway is missing, in one readable error', () => {
    const run = () => loadConfig({ ...base, SMS_PROVIDER: 'aliyun', SMS_SIGN_NAME: '   ' });
    for (const v of [
      'SMS_SIGN_NAME',
      'SMS_TEMPLATE_LOGIN_CODE',
      'SMS_TEMPLATE_TECHNICIAN_REVIEW',
      'SMS_TEMPLATE_NOTIFICATION',
      'ALIYUN_SMS_ACCESS_KEY_ID',
      'ALIYUN_SMS_ACCESS_KEY_SECRET',
    ]) {
      expect(run).toThrow(new RegExp(`- ${v}: required when SMS_PROVIDER=aliyun`));
    }
    expect(() =>
      loadConfig({
        ...base,
        ...gatewayCommon,
        SMS_PROVIDER: 'tencent',
        TENCENT_SMS_SECRET_ID: 'id',
        TENCENT_SMS_SECRET_KEY: 'key',
      }),
    ).toThrow(/- TENCENT_SMS_SDK_APP_ID: required when SMS_PROVIDER=tencent/);
  });

  it('accepts a complete gateway configuration', () => {
    const sut = loadConfig({
      ...base,
      ...gatewayCommon,
      NODE_ENV: 'production',
      SMS_PROVIDER: 'tencent',
      TENCENT_SMS_SECRET_ID: 'id',
      TENCENT_SMS_SECRET_KEY: 'key',
      TENCENT_SMS_SDK_APP_ID: '1400006666',
    });
    expect(sut.SMS_PROVIDER).toBe('tencent');
    expect(sut.TENCENT_SMS_REGION).toBe('ap-guangzhou');
    expect(sut.SMS_TIMEOUT_MS).toBe(5_000);
  });

  it('refuses the log provider in production unless explicitly allowed', () => {
    expect(() => loadConfig({ ...base, NODE_ENV: 'production' })).toThrow(
      /- SMS_PROVIDER: `log` only writes messages to the log and is refused in production/,
    );
    expect(loadConfig({ ...base, NODE_ENV: 'production', SMS_LOG_IN_PRODUCTION: 'true' }).SMS_PROVIDER).toBe('log');
    expect(loadConfig({ ...base, NODE_ENV: 'development' }).SMS_PROVIDER).toBe('log');
  });
});

describe('SMS sign-in end to end with the Aliyun provider selected', () => {
  let db: TestDatabase;
  let t: TestApp;
  let f: Factory;
  let gw: FakeSmsGateway;
  let store: TestTenant;

  beforeAll(async () => {
    gw = await startFakeAliyunSmsGateway(ALIYUN_KEYS);
    db = await createTestDatabase();
    t = await createTestApp(db, {
      SMS_PROVIDER: 'aliyun',
      SMS_ENDPOINT: gw.url,
      SMS_TIMEOUT_MS: '300',
      SMS_SIGN_NAME: '上门到家',
      SMS_TEMPLATE_LOGIN_CODE: 'SMS_LOGIN',
      SMS_TEMPLATE_TECHNICIAN_REVIEW: 'SMS_REVIEW',
      SMS_TEMPLATE_NOTIFICATION: 'SMS_NOTICE',
      ALIYUN_SMS_ACCESS_KEY_ID: ALIYUN_KEYS.accessKeyId,
      ALIYUN_SMS_ACCESS_KEY_SECRET: ALIYUN_KEYS.accessKeySecret,
    });
    f = await Factory.create(db, t.app);
    store = await f.newTenant({ name: '静安足道' });
  });
  afterAll(async () => {
    await f?.close();
    await t?.close();
    await db?.drop();
    await gw?.close();
  });
  beforeEach(() => {
    gw.requests.length = 0;
    gw.hang = false;
    gw.handle = () => ({ status: 200, body: { Code: 'OK', Message: 'OK', BizId: 'biz-1', RequestId: 'req-1' } });
  });

  const send = (phone: string) =>
    t.app.inject({
      method: 'POST',
      url: `/t/${store.slug}/api/auth/sms/send`,
      payload: { phone, purpose: 'customer' },
      remoteAddress: newIp(),
    });

  it('the code that reaches the gateway signs the customer in', async () => {
    const phone = newPhone();
    const res = await send(phone);
    expect(res.statusCode).toBe(200);

    expect(gw.requests).toHaveLength(1);
    const req = gw.requests[0]!;
    expect(req.signatureValid).toBe(true);
    expect(req.query).toMatchObject({ PhoneNumbers: phone, SignName: '上门到家', TemplateCode: 'SMS_LOGIN' });
    const { code, minutes } = JSON.parse(req.query.TemplateParam!) as { code: string; minutes: string };
    expect(code).toMatch(/^\d{6}$/);
    expect(minutes).toBe('5');

    const login = await t.app.inject({
      method: 'POST',
      url: `/t/${store.slug}/api/auth/customer/login`,
      payload: { phone, code },
      remoteAddress: newIp(),
    });
    expect(login.statusCode).toBe(200);
    expect(login.json()).toMatchObject({ tokenType: 'Bearer', principal: { kind: 'customer' } });
  });

  it('a gateway rate limit reaches the caller as 429 SMS_RATE_LIMITED with Retry-After', async () => {
    gw.handle = () => ({ status: 200, body: { Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: '触发小时级流控' } });
    const res = await send(newPhone());
    expect(res.statusCode).toBe(429);
    expect(res.json()).toMatchObject({ code: 'SMS_RATE_LIMITED' });
    expect(res.headers['retry-after']).toBe('60');
    expect(res.body).not.toContain('BUSINESS_LIMIT_CONTROL');
  });

  it('a gateway that does not answer in time gives 503 SMS_UNAVAILABLE; asking again right away works', async () => {
    const phone = newPhone();
    gw.hang = true;
    const res = await send(phone);
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ code: 'SMS_UNAVAILABLE' });
    const lostCode = (JSON.parse(gw.requests[0]!.query.TemplateParam!) as { code: string }).code;

    // The failed send does not hold the one-minute resend gap, and its code is void.
    gw.hang = false;
    const again = await send(phone);
    expect(again.statusCode).toBe(200);
    const { code } = JSON.parse(gw.requests[1]!.query.TemplateParam!) as { code: string };
    const login = (c: string) =>
      t.app.inject({
        method: 'POST',
        url: `/t/${store.slug}/api/auth/customer/login`,
        payload: { phone, code: c },
        remoteAddress: newIp(),
      });
    if (lostCode !== code) expect((await login(lostCode)).statusCode).toBe(401);
    expect((await login(code)).statusCode).toBe(200);
  });
});
