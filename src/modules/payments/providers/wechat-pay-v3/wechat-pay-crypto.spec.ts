import { createVerify, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encryptWechatResource } from '../../../../../test/support/payment-signers';
import {
  authorizationHeader,
  decryptResource,
  requestMessage,
  signSha256Rsa,
  timestampIsFresh,
  verifySha256Rsa,
} from './wechat-pay-crypto';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

describe('WeChat Pay v3 request signing', () => {
  it('signs METHOD\\nPATH?QUERY\\ntimestamp\\nnonce\\nbody\\n (checked against a hand-built message)', () => {
    const message = requestMessage(
      'GET',
      '/v3/pay/transactions/out-trade-no/P1?mchid=1900000109',
      '1764036000',
      'N1',
      '',
    );
    expect(message).toBe('GET\n/v3/pay/transactions/out-trade-no/P1?mchid=1900000109\n1764036000\nN1\n\n');
    const signature = signSha256Rsa(message, privateKey);
    const independent = 'GET\n/v3/pay/transactions/out-trade-no/P1?mchid=1900000109\n1764036000\nN1\n\n';
    expect(createVerify('RSA-SHA256').update(independent).verify(publicKey, signature, 'base64')).toBe(true);
    expect(
      createVerify('RSA-SHA256').update(independent.replace('P1', 'P2')).verify(publicKey, signature, 'base64'),
    ).toBe(false);
  });

  it('builds the WECHATPAY2-SHA256-RSA2048 Authorization header', () => {
    expect(
      authorizationHeader({ mchId: '1900000109', serialNo: 'ABC', nonce: 'N1', timestamp: '1', signature: 'S==' }),
    ).toBe('WECHATPAY2-SHA256-RSA2048 mchid="1900000109",nonce_str="N1",signature="S==",timestamp="1",serial_no="ABC"');
  });

  it('verifySha256Rsa is false (not an exception) for garbage', () => {
    expect(verifySha256Rsa('m', '!!!not base64', publicKey)).toBe(false);
    expect(verifySha256Rsa('m', '', publicKey)).toBe(false);
  });
});

describe('timestampIsFresh', () => {
  const now = new Date('2026-11-25T02:00:00Z');
  const s = now.getTime() / 1000;
  it.each([
    [s, true],
    [s - 300, true],
    [s + 300, true],
    [s - 301, false],
    [s + 301, false],
  ])('%d → %s', (ts, fresh) => {
    expect(timestampIsFresh(String(ts), now)).toBe(fresh);
  });
  it.each(['', 'abc', '1764036000.5', '-1764036000', '1e9'])('rejects %j', (ts) => {
    expect(timestampIsFresh(ts, now)).toBe(false);
  });
});

describe('decryptResource (AEAD_AES_256_GCM)', () => {
  const apiV3Key = '0123456789abcdef0123456789abcdef';
  const r = encryptWechatResource({
    apiV3Key,
    plaintext: '{"a":"支付"}',
    associatedData: 'transaction',
    nonce: 'abcdefabcdef',
  });
  const input = { apiV3Key, nonce: r.nonce, associatedData: r.associated_data, ciphertext: r.ciphertext };

  it('decrypts what the helper encrypted', () => {
    expect(decryptResource(input)).toBe('{"a":"支付"}');
  });

  it.each([
    ['key', { apiV3Key: 'x'.repeat(32) }],
    ['nonce', { nonce: 'abcdefabcdee' }],
    ['associated data', { associatedData: 'refund' }],
    ['tag removed', { ciphertext: Buffer.from(r.ciphertext, 'base64').subarray(0, -16).toString('base64') }],
    ['too short', { ciphertext: 'AAAA' }],
  ])('throws on a wrong %s', (_label, change) => {
    expect(() => decryptResource({ ...input, ...change })).toThrow();
  });
});
