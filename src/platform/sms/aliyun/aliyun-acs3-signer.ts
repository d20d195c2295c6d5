import { createHash, createHmac } from 'node:crypto';

/**
 * Alibaba Cloud API signature V3 (ACS3-HMAC-SHA256), as documented in "V3 request structure and
 * signature" (help.aliyun.com/zh/sdk/product-overview/v3-request-structure-and-signature).
 */
export const ACS3_ALGORITHM = 'ACS3-HMAC-SHA256';

export interface Acs3Request {
  method: 'GET' | 'POST';
  /** Host (and port, when not the default) exactly as the request's Host header carries it. */
  host: string;
  /** `/` for RPC-style APIs such as Dysmsapi. */
  canonicalUri: string;
  query: Readonly<Record<string, string>>;
  action: string;
  version: string;
  /** UTC, `yyyy-MM-ddTHH:mm:ssZ`. */
  date: string;
  nonce: string;
  body: string;
}

export interface Acs3Credentials {
  accessKeyId: string;
  accessKeySecret: string;
}

/** RFC 3986: everything but A–Z a–z 0–9 - _ . ~ is percent-encoded (space → %20, * → %2A). */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Parameters sorted by name, names and values percent-encoded; also the query string that is sent. */
export function canonicalQueryString(query: Readonly<Record<string, string>>): string {
  return Object.keys(query)
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(query[k]!)}`)
    .join('&');
}

export const sha256Hex = (data: string): string => createHash('sha256').update(data, 'utf8').digest('hex');

/** Formats a date as x-acs-date wants it (ISO 8601 without milliseconds). */
export const acsDate = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export interface Acs3Signed {
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
  /** Every header to send, the Authorization header included (Host is set from the URL). */
  headers: Record<string, string>;
}

export function signAcs3(req: Acs3Request, credentials: Acs3Credentials): Acs3Signed {
  const payloadHash = sha256Hex(req.body);
  const signed: Record<string, string> = {
    host: req.host,
    'x-acs-action': req.action,
    'x-acs-content-sha256': payloadHash,
    'x-acs-date': req.date,
    'x-acs-signature-nonce': req.nonce,
    'x-acs-version': req.version,
  };
  const names = Object.keys(signed).sort();
  const canonicalHeaders = names.map((n) => `${n}:${signed[n]!.trim()}\n`).join('');
  const signedHeaders = names.join(';');
  const canonicalRequest = [
    req.method,
    req.canonicalUri,
    canonicalQueryString(req.query),
    canonicalHeaders,
    signedHeaders,
    payloadHash,
  ].join('\n');
  const stringToSign = `${ACS3_ALGORITHM}\n${sha256Hex(canonicalRequest)}`;
  const signature = createHmac('sha256', credentials.accessKeySecret).update(stringToSign, 'utf8').digest('hex');
  const { host: _host, ...sent } = signed;
  return {
    canonicalRequest,
    stringToSign,
    signature,
    headers: {
      ...sent,
      authorization: `${ACS3_ALGORITHM} Credential=${credentials.accessKeyId},SignedHeaders=${signedHeaders},Signature=${signature}`,
    },
  };
}
