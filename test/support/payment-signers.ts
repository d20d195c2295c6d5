import { createCipheriv, createSign, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { selfSignedCertificatePem } from './x509-self-signed';

/**
 * Builds what WeChat Pay and Alipay would send us, signed with keys the test generated. Written
 * straight from the protocol descriptions with node:crypto (not through the adapters), so a test
 * that feeds these to an adapter checks it against an independent implementation.
 */

export interface RsaKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  privateKeyPem: string;
  publicKeyPem: string;
}

export function generateRsaKeyPair(): RsaKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKey,
    publicKey,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

// ---------------------------------------------------------------------------------------------
// WeChat Pay API v3
// ---------------------------------------------------------------------------------------------

export type WechatVerificationMode = 'certificate' | 'publicKey';

/** Credentials in the shape `WechatPayV3Provider.parseCredentials` accepts. */
export interface WechatTestCredentials {
  appId: string;
  mchId: string;
  merchantSerialNo: string;
  merchantPrivateKeyPem: string;
  apiV3Key: string;
  platformCertificates?: { serialNo: string; pem: string }[];
  platformPublicKey?: { id: string; pem: string };
}

export interface WechatTestMerchant {
  credentials: WechatTestCredentials;
  /** The merchant's key pair: the fake gateway verifies our Authorization header with `.publicKey`. */
  merchant: RsaKeyPair;
  /** WeChat's side: signs callbacks and responses. */
  platform: RsaKeyPair;
  /** The value WeChat puts in `Wechatpay-Serial` (certificate serial or `PUB_KEY_ID_…`). */
  platformSerial: string;
}

/** A merchant with fresh keys; `mode` picks platform-certificate or platform-public-key verification. */
export function makeWechatTestMerchant(
  opts: { mode?: WechatVerificationMode; mchId?: string; appId?: string } = {},
): WechatTestMerchant {
  const merchant = generateRsaKeyPair();
  const platform = generateRsaKeyPair();
  const mode = opts.mode ?? 'publicKey';
  const credentials: WechatTestCredentials = {
    appId: opts.appId ?? `wx${randomBytes(8).toString('hex')}`,
    mchId: opts.mchId ?? String(1_600_000_000 + Math.floor(Math.random() * 99_999_999)),
    merchantSerialNo: randomBytes(20).toString('hex').toUpperCase(),
    merchantPrivateKeyPem: merchant.privateKeyPem,
    apiV3Key: randomBytes(16).toString('hex'), // 32 characters, as WeChat requires
  };
  let platformSerial: string;
  if (mode === 'certificate') {
    // First nibble 1–7: a positive DER integer with no leading zero byte, so the
    // certificate's serial reads back exactly as generated (a leading 00 byte is
    // either illegal padding or dropped on parse: 1 merchant in 256 failed).
    platformSerial = randomBytes(20)
      .toString('hex')
      .toUpperCase()
      .replace(/^[089A-F]/, '7');
    const pem = selfSignedCertificatePem({ ...platform, serialHex: platformSerial, commonName: 'Tenpay.com Root CA' });
    credentials.platformCertificates = [{ serialNo: platformSerial, pem }];
  } else {
    platformSerial = `PUB_KEY_ID_${randomBytes(16).toString('hex').toUpperCase()}`;
    credentials.platformPublicKey = { id: platformSerial, pem: platform.publicKeyPem };
  }
  return { credentials, merchant, platform, platformSerial };
}

/** A decrypted `transaction` resource as WeChat documents it (amount in fen). */
export function wechatTransaction(input: {
  appid: string;
  mchid: string;
  outTradeNo: string;
  totalFen: number;
  tradeState?: string;
  transactionId?: string;
  successTime?: string;
  currency?: string;
}): Record<string, unknown> {
  const tradeState = input.tradeState ?? 'SUCCESS';
  return {
    appid: input.appid,
    mchid: input.mchid,
    out_trade_no: input.outTradeNo,
    transaction_id: input.transactionId ?? `4200${randomBytes(12).toString('hex').slice(0, 24)}`,
    trade_type: 'JSAPI',
    trade_state: tradeState,
    trade_state_desc: tradeState === 'SUCCESS' ? '支付成功' : tradeState,
    bank_type: 'OTHERS',
    attach: '',
    ...(tradeState === 'SUCCESS' ? { success_time: input.successTime ?? '2026-11-25T10:00:00+08:00' } : {}),
    payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
    amount: {
      total: input.totalFen,
      payer_total: input.totalFen,
      currency: input.currency ?? 'CNY',
      payer_currency: input.currency ?? 'CNY',
    },
  };
}

/** A decrypted REFUND.* resource as WeChat documents it (amounts in fen). */
export function wechatRefund(input: {
  mchid: string;
  outTradeNo: string;
  outRefundNo: string;
  refundFen: number;
  totalFen: number;
  refundStatus?: 'SUCCESS' | 'CLOSED' | 'ABNORMAL';
  refundId?: string;
}): Record<string, unknown> {
  const refundStatus = input.refundStatus ?? 'SUCCESS';
  return {
    mchid: input.mchid,
    out_trade_no: input.outTradeNo,
    transaction_id: `4200${randomBytes(12).toString('hex').slice(0, 24)}`,
    out_refund_no: input.outRefundNo,
    refund_id: input.refundId ?? `5030${randomBytes(12).toString('hex').slice(0, 24)}`,
    refund_status: refundStatus,
    ...(refundStatus === 'SUCCESS' ? { success_time: '2026-11-25T10:05:00+08:00' } : {}),
    user_received_account: '招商银行信用卡0403',
    amount: {
      total: input.totalFen,
      refund: input.refundFen,
      payer_total: input.totalFen,
      payer_refund: input.refundFen,
    },
  };
}

/** AEAD_AES_256_GCM as WeChat uses it: ciphertext = base64(encrypted ‖ 16-byte tag). */
export function encryptWechatResource(input: {
  apiV3Key: string;
  plaintext: string;
  associatedData?: string;
  nonce?: string;
  originalType?: string;
}): { algorithm: string; ciphertext: string; associated_data: string; nonce: string; original_type: string } {
  const nonce = input.nonce ?? randomBytes(6).toString('hex'); // 12 characters
  const associatedData = input.associatedData ?? 'transaction';
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(input.apiV3Key, 'utf8'), Buffer.from(nonce, 'utf8'));
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const encrypted = Buffer.concat([cipher.update(input.plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return {
    algorithm: 'AEAD_AES_256_GCM',
    ciphertext: encrypted.toString('base64'),
    associated_data: associatedData,
    nonce,
    original_type: input.originalType ?? 'transaction',
  };
}

/** `timestamp\nnonce\nbody\n` signed with SHA256-RSA, base64 — what WeChat puts in `Wechatpay-Signature`. */
export function wechatPlatformSignature(
  platformKey: KeyObject,
  timestamp: string,
  nonce: string,
  body: string,
): string {
  return createSign('RSA-SHA256').update(`${timestamp}\n${nonce}\n${body}\n`, 'utf8').sign(platformKey, 'base64');
}

export interface SignedCallback {
  headers: Record<string, string>;
  rawBody: Buffer;
  body: string;
}

/**
 * A payment notification exactly as WeChat posts it: the resource encrypted with the APIv3 key,
 * the body signed with the platform key, and the Wechatpay-* headers.
 */
export function signWechatCallback(input: {
  platformKey: KeyObject;
  serial: string;
  apiV3Key: string;
  /** The decrypted resource (e.g. from `wechatTransaction`); serialised to JSON and encrypted. */
  resource: Record<string, unknown>;
  /** Signing time (default now); a Date or unix seconds. */
  timestamp?: Date | number;
  nonce?: string;
  eventType?: string;
  /** 'transaction' for payments (default), 'refund' for refund notifications */
  associatedData?: string;
}): SignedCallback {
  const seconds =
    input.timestamp === undefined
      ? Math.floor(Date.now() / 1000)
      : typeof input.timestamp === 'number'
        ? input.timestamp
        : Math.floor(input.timestamp.getTime() / 1000);
  const timestamp = String(seconds);
  const nonce = input.nonce ?? randomBytes(16).toString('hex');
  const tradeState = typeof input.resource['trade_state'] === 'string' ? input.resource['trade_state'] : 'SUCCESS';
  const body = JSON.stringify({
    id: `EV-${randomBytes(8).toString('hex')}`,
    create_time: new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00'),
    resource_type: 'encrypt-resource',
    event_type: input.eventType ?? (tradeState === 'SUCCESS' ? 'TRANSACTION.SUCCESS' : 'TRANSACTION.FAIL'),
    summary: input.associatedData === 'refund' ? '退款成功' : '支付成功',
    resource: encryptWechatResource({
      apiV3Key: input.apiV3Key,
      plaintext: JSON.stringify(input.resource),
      associatedData: input.associatedData ?? 'transaction',
      originalType: input.associatedData ?? 'transaction',
    }),
  });
  return {
    headers: {
      'content-type': 'application/json',
      'wechatpay-timestamp': timestamp,
      'wechatpay-nonce': nonce,
      'wechatpay-serial': input.serial,
      'wechatpay-signature': wechatPlatformSignature(input.platformKey, timestamp, nonce, body),
      'wechatpay-signature-type': 'WECHATPAY2-SHA256-RSA2048',
    },
    rawBody: Buffer.from(body, 'utf8'),
    body,
  };
}

// ---------------------------------------------------------------------------------------------
// Alipay
// ---------------------------------------------------------------------------------------------

/** Credentials in the shape `AlipayProvider.parseCredentials` accepts. */
export interface AlipayTestCredentials {
  appId: string;
  privateKeyPem: string;
  alipayPublicKeyPem: string;
  sellerId?: string;
}

export interface AlipayTestMerchant {
  credentials: AlipayTestCredentials;
  /** The app's key pair: the fake gateway verifies request signatures with `.publicKey`. */
  app: RsaKeyPair;
  /** Alipay's side: signs notifications and gateway responses. */
  alipay: RsaKeyPair;
}

export function makeAlipayTestMerchant(opts: { appId?: string; sellerId?: string } = {}): AlipayTestMerchant {
  const app = generateRsaKeyPair();
  const alipay = generateRsaKeyPair();
  return {
    credentials: {
      appId: opts.appId ?? `2021${String(Math.floor(Math.random() * 1e12)).padStart(12, '0')}`,
      privateKeyPem: app.privateKeyPem,
      alipayPublicKeyPem: alipay.publicKeyPem,
      ...(opts.sellerId ? { sellerId: opts.sellerId } : {}),
    },
    app,
    alipay,
  };
}

/** RSA2 content: sorted `key=value` pairs joined with `&`, without sign/sign_type and empty values. */
export function alipaySignContent(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((k) => k !== 'sign' && k !== 'sign_type' && params[k] !== '' && params[k] !== undefined)
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
}

/** A trade notification's fields (amount as a yuan string, times in Asia/Shanghai). */
export function alipayTradeNotifyParams(input: {
  appId: string;
  outTradeNo: string;
  totalAmount: string;
  tradeStatus?: string;
  tradeNo?: string;
  sellerId?: string;
  gmtPayment?: string;
}): Record<string, string> {
  return {
    notify_time: '2026-11-25 10:00:05',
    notify_type: 'trade_status_sync',
    notify_id: randomBytes(16).toString('hex'),
    charset: 'utf-8',
    version: '1.0',
    app_id: input.appId,
    trade_no: input.tradeNo ?? `2026112522001${String(Math.floor(Math.random() * 1e15)).padStart(15, '0')}`,
    out_trade_no: input.outTradeNo,
    buyer_id: '2088102177846880',
    seller_id: input.sellerId ?? '2088101106499364',
    trade_status: input.tradeStatus ?? 'TRADE_SUCCESS',
    total_amount: input.totalAmount,
    receipt_amount: input.totalAmount,
    subject: '上门按摩 订单',
    gmt_create: '2026-11-25 09:59:50',
    gmt_payment: input.gmtPayment ?? '2026-11-25 10:00:00',
  };
}

/** An `application/x-www-form-urlencoded` notification signed RSA2 with Alipay's private key. */
export function signAlipayNotify(input: {
  alipayPrivateKey: KeyObject;
  params: Record<string, string>;
}): SignedCallback & { params: Record<string, string> } {
  const sign = createSign('RSA-SHA256')
    .update(alipaySignContent(input.params), 'utf8')
    .sign(input.alipayPrivateKey, 'base64');
  const params = { ...input.params, sign_type: 'RSA2', sign };
  const body = new URLSearchParams(params).toString();
  return {
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    rawBody: Buffer.from(body, 'utf8'),
    body,
    params,
  };
}
