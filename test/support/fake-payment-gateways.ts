import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSign, createVerify, randomBytes, type KeyObject } from 'node:crypto';
import { wechatPlatformSignature } from './payment-signers';

/**
 * In-process stand-ins for the WeChat Pay and Alipay gateways on 127.0.0.1:0. They check OUR
 * request signatures with the merchant's public key (independently of the adapters' code) and sign
 * their answers with the platform/Alipay key, so a round trip exercises both directions. A test
 * scripts the answers with `handle` and can make the gateway misbehave with `tamper`.
 */

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** Whether our signature verified with the merchant/app public key. */
  signatureValid: boolean;
}

export interface FakeReply {
  status: number;
  body: unknown;
}

interface FakeGateway {
  baseUrl: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------

export type WechatTamper =
  'none' | 'bad-signature' | 'unknown-serial' | 'stale-timestamp' | 'unsigned' | 'body-changed';

export interface FakeWechatGateway extends FakeGateway {
  /** May be async: the call stays open (as a slow gateway's would) until it settles. */
  handle: (req: RecordedRequest) => FakeReply | Promise<FakeReply>;
  tamper: WechatTamper;
}

export async function startFakeWechatGateway(opts: {
  merchantPublicKey: KeyObject;
  mchId: string;
  merchantSerialNo: string;
  platformKey: KeyObject;
  platformSerial: string;
  clock?: () => Date;
}): Promise<FakeWechatGateway> {
  const clock = opts.clock ?? (() => new Date());
  const gw: FakeWechatGateway = {
    baseUrl: '',
    requests: [],
    tamper: 'none',
    handle: () => ({ status: 404, body: { code: 'NOT_FOUND', message: 'no handler' } }),
    close: async () => undefined,
  };
  const server = createServer((req, res) => {
    void readBody(req).then(async (body) => {
      const rec: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
        signatureValid: verifyWechatAuthorization(req, body, opts),
      };
      gw.requests.push(rec);
      const reply = rec.signatureValid
        ? await gw.handle(rec)
        : { status: 401, body: { code: 'SIGN_ERROR', message: '签名错误' } };
      const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
      const nowSeconds = Math.floor(clock().getTime() / 1000);
      const timestamp = String(gw.tamper === 'stale-timestamp' ? nowSeconds - 360 : nowSeconds);
      const nonce = randomBytes(16).toString('hex');
      let signature = wechatPlatformSignature(opts.platformKey, timestamp, nonce, text);
      if (gw.tamper === 'bad-signature') signature = wechatPlatformSignature(opts.platformKey, timestamp, nonce, '{}');
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (gw.tamper !== 'unsigned') {
        Object.assign(headers, {
          'wechatpay-timestamp': timestamp,
          'wechatpay-nonce': nonce,
          'wechatpay-signature': signature,
          'wechatpay-serial': gw.tamper === 'unknown-serial' ? 'PUB_KEY_ID_0000UNKNOWN' : opts.platformSerial,
        });
      }
      res.writeHead(reply.status, headers);
      res.end(gw.tamper === 'body-changed' ? text.replace(/\d/, '9') : text);
    });
  });
  return listen(server, gw);
}

/** Parses `WECHATPAY2-SHA256-RSA2048 k="v",…` and checks the signature over the request. */
function verifyWechatAuthorization(
  req: IncomingMessage,
  body: string,
  opts: { merchantPublicKey: KeyObject; mchId: string; merchantSerialNo: string },
): boolean {
  const auth = req.headers.authorization ?? '';
  const prefix = 'WECHATPAY2-SHA256-RSA2048 ';
  if (!auth.startsWith(prefix)) return false;
  const fields = Object.fromEntries(
    [...auth.slice(prefix.length).matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]] as const),
  );
  if (fields['mchid'] !== opts.mchId || fields['serial_no'] !== opts.merchantSerialNo) return false;
  const message = `${req.method}\n${req.url}\n${fields['timestamp']}\n${fields['nonce_str']}\n${body}\n`;
  return createVerify('RSA-SHA256')
    .update(message, 'utf8')
    .verify(opts.merchantPublicKey, fields['signature'] ?? '', 'base64');
}

// ---------------------------------------------------------------------------------------------

export type AlipayTamper = 'none' | 'bad-signature' | 'unsigned' | 'http-500';

export interface FakeAlipayGateway extends FakeGateway {
  /** `params` are the merged query and form fields; `bizContent` is biz_content parsed. */
  handle: (method: string, bizContent: Record<string, unknown>, params: Record<string, string>) => unknown;
  tamper: AlipayTamper;
  gatewayUrl: string;
}

/** Alipay request signing: every parameter except `sign` (sign_type included), sorted, raw values. */
export function alipayRequestSignContent(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((k) => k !== 'sign' && params[k] !== '')
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
}

export async function startFakeAlipayGateway(opts: {
  appPublicKey: KeyObject;
  appId: string;
  alipayKey: KeyObject;
}): Promise<FakeAlipayGateway> {
  const gw: FakeAlipayGateway = {
    baseUrl: '',
    gatewayUrl: '',
    requests: [],
    tamper: 'none',
    handle: () => ({ code: '40004', msg: 'Business Failed', sub_code: 'ACQ.SYSTEM_ERROR', sub_msg: 'no handler' }),
    close: async () => undefined,
  };
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const params: Record<string, string> = {};
      for (const [k, v] of url.searchParams) params[k] = v;
      for (const [k, v] of new URLSearchParams(body)) params[k] = v;
      const signatureValid =
        params['app_id'] === opts.appId &&
        params['sign_type'] === 'RSA2' &&
        createVerify('RSA-SHA256')
          .update(alipayRequestSignContent(params), 'utf8')
          .verify(opts.appPublicKey, params['sign'] ?? '', 'base64');
      gw.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, signatureValid });
      if (gw.tamper === 'http-500') {
        res.writeHead(500).end('oops');
        return;
      }
      const method = params['method'] ?? '';
      const responseKey = `${method.replaceAll('.', '_')}_response`;
      const inner = signatureValid
        ? gw.handle(method, JSON.parse(params['biz_content'] ?? '{}') as Record<string, unknown>, params)
        : { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-signature', sub_msg: '验签出错' };
      const innerText = JSON.stringify(inner);
      let sign = createSign('RSA-SHA256').update(innerText, 'utf8').sign(opts.alipayKey, 'base64');
      if (gw.tamper === 'bad-signature')
        sign = createSign('RSA-SHA256').update('{}', 'utf8').sign(opts.alipayKey, 'base64');
      const text =
        gw.tamper === 'unsigned'
          ? `{"${responseKey}":${innerText}}`
          : `{"${responseKey}":${innerText},"sign":"${sign}"}`;
      res.writeHead(200, { 'content-type': 'application/json;charset=utf-8' }).end(text);
    });
  });
  const started = await listen(server, gw);
  started.gatewayUrl = `${started.baseUrl}/gateway.do`;
  return started;
}

// ---------------------------------------------------------------------------------------------

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function listen<G extends FakeGateway>(server: Server, gw: G): Promise<G> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  gw.baseUrl = `http://127.0.0.1:${port}`;
  gw.close = () =>
    new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((e) => (e ? reject(e) : resolve()));
    });
  return gw;
}
