import { createHash, createHmac } from 'node:crypto';

/**
 * Tencent Cloud API 3.0 signature v3 (TC3-HMAC-SHA256), as documented in "Signature v3"
 * (cloud.tencent.com/document/api/382/52072 for SMS). POST with a JSON body, no query string.
 */
export const TC3_ALGORITHM = 'TC3-HMAC-SHA256';

export interface Tc3Request {
  /** Host (and port, when not the default) exactly as the request's Host header carries it. */
  host: string;
  contentType: string;
  payload: string;
  /** Product name in the credential scope, e.g. `sms`. */
  service: string;
  /** Unix seconds; also X-TC-Timestamp. The scope's date is its UTC day. */
  timestamp: number;
}

export interface Tc3Credentials {
  secretId: string;
  secretKey: string;
}

export interface Tc3Signed {
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
  authorization: string;
}

const sha256Hex = (data: string): string => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

export function signTc3(req: Tc3Request, credentials: Tc3Credentials): Tc3Signed {
  const headers: Record<string, string> = { 'content-type': req.contentType, host: req.host };
  const names = Object.keys(headers).sort();
  const canonicalHeaders = names.map((n) => `${n}:${headers[n]!.trim().toLowerCase()}\n`).join('');
  const signedHeaders = names.join(';');
  const canonicalRequest = ['POST', '/', '', canonicalHeaders, signedHeaders, sha256Hex(req.payload)].join('\n');
  const date = new Date(req.timestamp * 1000).toISOString().slice(0, 10);
  const scope = `${date}/${req.service}/tc3_request`;
  const stringToSign = [TC3_ALGORITHM, String(req.timestamp), scope, sha256Hex(canonicalRequest)].join('\n');
  const signingKey = hmac(hmac(hmac(`TC3${credentials.secretKey}`, date), req.service), 'tc3_request');
  const signature = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
  return {
    canonicalRequest,
    stringToSign,
    signature,
    authorization: `${TC3_ALGORITHM} Credential=${credentials.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}
