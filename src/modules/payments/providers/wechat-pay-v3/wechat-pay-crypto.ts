import { createDecipheriv, createSign, createVerify, randomBytes, type KeyLike } from 'node:crypto';

/**
 * The signing rules of WeChat Pay API v3, as pure functions.
 * Requests: SHA256-RSA over `METHOD\nPATH?QUERY\ntimestamp\nnonce\nbody\n` with the merchant key.
 * Responses and callbacks: SHA256-RSA over `timestamp\nnonce\nbody\n` with the platform key.
 * Callback resources: AEAD_AES_256_GCM with the APIv3 key, the 16-byte tag after the ciphertext.
 */

export const AUTH_SCHEMA = 'WECHATPAY2-SHA256-RSA2048';

/** How far a platform timestamp may be from our clock, either way. */
export const MAX_CLOCK_SKEW_SECONDS = 300;

export function newNonce(): string {
  return randomBytes(16).toString('hex').toUpperCase();
}

export function requestMessage(method: string, pathWithQuery: string, timestamp: string, nonce: string, body: string) {
  return `${method}\n${pathWithQuery}\n${timestamp}\n${nonce}\n${body}\n`;
}

export function platformMessage(timestamp: string, nonce: string, body: string): string {
  return `${timestamp}\n${nonce}\n${body}\n`;
}

export function signSha256Rsa(message: string, privateKey: KeyLike): string {
  return createSign('RSA-SHA256').update(message, 'utf8').sign(privateKey, 'base64');
}

/** False (never throws) for any signature that does not verify, including malformed base64. */
export function verifySha256Rsa(message: string, signatureBase64: string, publicKey: KeyLike): boolean {
  try {
    return createVerify('RSA-SHA256').update(message, 'utf8').verify(publicKey, signatureBase64, 'base64');
  } catch {
    return false;
  }
}

export function authorizationHeader(p: {
  mchId: string;
  serialNo: string;
  nonce: string;
  timestamp: string;
  signature: string;
}): string {
  return (
    `${AUTH_SCHEMA} mchid="${p.mchId}",nonce_str="${p.nonce}",signature="${p.signature}",` +
    `timestamp="${p.timestamp}",serial_no="${p.serialNo}"`
  );
}

/** Whether a unix-seconds timestamp string is within the allowed skew of `now`. */
export function timestampIsFresh(timestamp: string, now: Date): boolean {
  if (!/^\d{1,12}$/.test(timestamp)) return false;
  return Math.abs(Math.floor(now.getTime() / 1000) - Number(timestamp)) <= MAX_CLOCK_SKEW_SECONDS;
}

/** Throws when the key, nonce, associated data or tag do not match the ciphertext. */
export function decryptResource(p: {
  apiV3Key: string;
  nonce: string;
  associatedData: string;
  ciphertext: string;
}): string {
  const data = Buffer.from(p.ciphertext, 'base64');
  if (data.length <= 16) throw new Error('ciphertext too short');
  const decipher = createDecipheriv('aes-256-gcm', Buffer.from(p.apiV3Key, 'utf8'), Buffer.from(p.nonce, 'utf8'));
  decipher.setAuthTag(data.subarray(data.length - 16));
  decipher.setAAD(Buffer.from(p.associatedData, 'utf8'));
  return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString('utf8');
}

/** The parameters `WeixinJSBridge.invoke('getBrandWCPayRequest', …)` / `wx.requestPayment` need. */
export function jsapiPayParams(p: {
  appId: string;
  prepayId: string;
  timestamp: string;
  nonce: string;
  merchantPrivateKey: KeyLike;
}): Record<string, string> {
  const pkg = `prepay_id=${p.prepayId}`;
  return {
    appId: p.appId,
    timeStamp: p.timestamp,
    nonceStr: p.nonce,
    package: pkg,
    signType: 'RSA',
    paySign: signSha256Rsa(`${p.appId}\n${p.timestamp}\n${p.nonce}\n${pkg}\n`, p.merchantPrivateKey),
  };
}
