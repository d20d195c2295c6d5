import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * In-process stand-ins for the Aliyun (Dysmsapi) and Tencent Cloud SMS gateways on 127.0.0.1:0.
 * Like the real ones, they recompute the request signature from what arrived on the wire with the
 * account's secret — with their own code, not the providers' signers — and answer a bad one with the
 * gateway's error. A test scripts the business answer with `handle`, or makes the gateway `hang`.
 */

export interface SmsGatewayRequest {
  method: string;
  path: string;
  /** Decoded query parameters (Aliyun) — empty for Tencent. */
  query: Record<string, string>;
  headers: IncomingMessage['headers'];
  body: string;
  signatureValid: boolean;
  /** Why the signature did not verify (for assertion messages). */
  signatureProblem?: string;
}

export interface SmsGatewayReply {
  status: number;
  body: unknown;
}

export interface FakeSmsGateway {
  url: string;
  requests: SmsGatewayRequest[];
  /** The business answer to a correctly signed request. */
  handle: (req: SmsGatewayRequest) => SmsGatewayReply;
  /** Never answer (to exercise the caller's timeout). */
  hang: boolean;
  close(): Promise<void>;
}

const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');
const same = (a: string, b: string): boolean =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** RFC 3986 unreserved bytes stay, every other UTF-8 byte becomes %XX. */
function rfc3986(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function header(req: IncomingMessage, name: string): string {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : (v ?? '');
}

// ---------------------------------------------------------------------------------------------

/** Verifies ACS3-HMAC-SHA256 as Alibaba Cloud's gateway describes it. */
function verifyAcs3(
  req: IncomingMessage,
  rawQuery: string,
  body: string,
  account: { accessKeyId: string; accessKeySecret: string },
  now: Date,
): string | undefined {
  const m = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]{64})$/.exec(
    header(req, 'authorization'),
  );
  if (!m) return 'malformed Authorization header';
  const [, keyId, signedHeaders, signature] = m as unknown as [string, string, string, string];
  if (keyId !== account.accessKeyId) return `unknown AccessKeyId ${keyId}`;
  const names = signedHeaders.split(';');
  for (const required of [
    'host',
    'x-acs-action',
    'x-acs-content-sha256',
    'x-acs-date',
    'x-acs-signature-nonce',
    'x-acs-version',
  ]) {
    if (!names.includes(required)) return `${required} is not signed`;
  }
  if ([...names].sort().join(';') !== signedHeaders) return 'SignedHeaders not sorted';
  if (header(req, 'x-acs-content-sha256') !== sha256(body)) return 'x-acs-content-sha256 does not match the body';
  const date = Date.parse(header(req, 'x-acs-date'));
  if (
    !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(header(req, 'x-acs-date')) ||
    Math.abs(date - now.getTime()) > 15 * 60_000
  ) {
    return 'x-acs-date missing, malformed or more than 15 minutes off';
  }
  const pairs = rawQuery
    .split('&')
    .filter(Boolean)
    .map((p) => p.split('=').map((x) => decodeURIComponent(x)) as [string, string?]);
  const canonicalQuery = pairs
    .map(([k, v]) => [rfc3986(k), rfc3986(v ?? '')] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalHeaders = names.map((n) => `${n}:${header(req, n).trim()}\n`).join('');
  const path = (req.url ?? '/').split('?')[0];
  const canonical = `${req.method}\n${path}\n${canonicalQuery}\n${canonicalHeaders}\n${signedHeaders}\n${sha256(body)}`;
  const expected = createHmac('sha256', account.accessKeySecret)
    .update(`ACS3-HMAC-SHA256\n${sha256(canonical)}`)
    .digest('hex');
  return same(expected, signature) ? undefined : 'signature does not match';
}

export async function startFakeAliyunSmsGateway(account: {
  accessKeyId: string;
  accessKeySecret: string;
  clock?: () => Date;
}): Promise<FakeSmsGateway> {
  const clock = account.clock ?? (() => new Date());
  const nonces = new Set<string>();
  return startGateway((req, body) => {
    const [, rawQuery = ''] = (req.url ?? '').split('?');
    const query = Object.fromEntries(new URLSearchParams(rawQuery.replace(/\+/g, '%2B')));
    const problem = verifyAcs3(req, rawQuery, body, account, clock());
    const recorded = record(req, query, body, problem);
    const requestId = 'F0D5C5E1-0000-4000-8000-000000000001';
    if (problem) {
      return [
        recorded,
        { status: 400, body: { Code: 'SignatureDoesNotMatch', Message: problem, RequestId: requestId } },
      ];
    }
    const nonce = header(req, 'x-acs-signature-nonce');
    if (nonces.has(nonce)) {
      return [
        recorded,
        { status: 400, body: { Code: 'SignatureNonceUsed', Message: 'nonce used', RequestId: requestId } },
      ];
    }
    nonces.add(nonce);
    return [recorded, undefined];
  });
}

// ---------------------------------------------------------------------------------------------

/** Verifies TC3-HMAC-SHA256 as Tencent Cloud's API 3.0 gateway describes it. */
function verifyTc3(
  req: IncomingMessage,
  body: string,
  account: { secretId: string; secretKey: string },
  now: Date,
): string | undefined {
  const m =
    /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([a-z]+)\/tc3_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
      header(req, 'authorization'),
    );
  if (!m) return 'malformed Authorization header';
  const [, secretId, date, service, signedHeaders, signature] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (secretId !== account.secretId) return `unknown SecretId ${secretId}`;
  if (service !== 'sms') return `credential scope names service ${service}`;
  const timestamp = Number(header(req, 'x-tc-timestamp'));
  if (!Number.isInteger(timestamp) || Math.abs(timestamp * 1000 - now.getTime()) > 5 * 60_000) {
    return 'X-TC-Timestamp missing or more than 5 minutes off';
  }
  if (new Date(timestamp * 1000).toISOString().slice(0, 10) !== date) return 'scope date is not the UTC day';
  const names = signedHeaders.split(';');
  if (!names.includes('content-type') || !names.includes('host')) return 'content-type and host must be signed';
  const canonicalHeaders = names.map((n) => `${n}:${header(req, n).trim().toLowerCase()}\n`).join('');
  const canonical = `POST\n/\n\n${canonicalHeaders}\n${signedHeaders}\n${sha256(body)}`;
  const stringToSign = `TC3-HMAC-SHA256\n${timestamp}\n${date}/${service}/tc3_request\n${sha256(canonical)}`;
  let key: Buffer = Buffer.from(`TC3${account.secretKey}`, 'utf8');
  for (const part of [date, service, 'tc3_request']) key = createHmac('sha256', key).update(part).digest();
  const expected = createHmac('sha256', key).update(stringToSign).digest('hex');
  return same(expected, signature) ? undefined : 'signature does not match';
}

export async function startFakeTencentSmsGateway(account: {
  secretId: string;
  secretKey: string;
  clock?: () => Date;
}): Promise<FakeSmsGateway> {
  const clock = account.clock ?? (() => new Date());
  return startGateway((req, body) => {
    const problem = verifyTc3(req, body, account, clock());
    const recorded = record(req, {}, body, problem);
    if (!problem) return [recorded, undefined];
    // Tencent answers every API error with HTTP 200 and Response.Error.
    return [
      recorded,
      {
        status: 200,
        body: {
          Response: {
            Error: { Code: 'AuthFailure.SignatureFailure', Message: problem },
            RequestId: 'ed93f3cb-f35e-473f-b9f3-0d451b8b79c6',
          },
        },
      },
    ];
  });
}

// ---------------------------------------------------------------------------------------------

function record(
  req: IncomingMessage,
  query: Record<string, string>,
  body: string,
  problem: string | undefined,
): SmsGatewayRequest {
  return {
    method: req.method ?? '',
    path: (req.url ?? '/').split('?')[0] ?? '/',
    query,
    headers: req.headers,
    body,
    signatureValid: problem === undefined,
    ...(problem ? { signatureProblem: problem } : {}),
  };
}

/** `check` returns the recorded request and, when the gateway refuses it itself, that answer. */
async function startGateway(
  check: (req: IncomingMessage, body: string) => [SmsGatewayRequest, SmsGatewayReply | undefined],
): Promise<FakeSmsGateway> {
  const gw: FakeSmsGateway = {
    url: '',
    requests: [],
    hang: false,
    handle: () => ({ status: 500, body: { message: 'no handler scripted' } }),
    close: async () => undefined,
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const [recorded, refusal] = check(req, Buffer.concat(chunks).toString('utf8'));
      gw.requests.push(recorded);
      if (gw.hang) return;
      const reply = refusal ?? gw.handle(recorded);
      const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
      res.writeHead(reply.status, { 'content-type': 'application/json;charset=utf-8' }).end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  gw.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  gw.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return gw;
}
