import { createPrivateKey } from 'node:crypto';
import { ProviderRequestError } from '../provider-errors';
import { platformKeyFor, type WechatPayCredentials } from './wechat-pay-credentials';
import {
  authorizationHeader,
  newNonce,
  platformMessage,
  requestMessage,
  signSha256Rsa,
  timestampIsFresh,
  verifySha256Rsa,
} from './wechat-pay-crypto';

export interface WechatPayClientOptions {
  /** Default https://api.mch.weixin.qq.com; tests point it at a fake gateway. */
  baseUrl?: string;
  fetch?: typeof fetch;
  clock?: () => Date;
  nonce?: () => string;
  timeoutMs?: number;
}

export interface WechatPayResponse {
  status: number;
  /** Parsed JSON body ({} for an empty body). */
  data: Record<string, unknown>;
}

/**
 * Sends signed API v3 requests and accepts only responses signed by the platform key. Returns 2xx
 * and 4xx answers (both verified) and leaves their meaning to the caller; throws for everything
 * that is not a verified answer.
 */
export class WechatPayClient {
  private readonly baseUrl: string;
  private readonly fetchFn: typeof fetch;
  readonly clock: () => Date;
  readonly nonce: () => string;
  private readonly timeoutMs: number;

  constructor(options: WechatPayClientOptions = {}) {
    this.baseUrl = (options.baseUrl ?? 'https://api.mch.weixin.qq.com').replace(/\/+$/, '');
    this.fetchFn = options.fetch ?? globalThis.fetch;
    this.clock = options.clock ?? (() => new Date());
    this.nonce = options.nonce ?? newNonce;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  async request(
    credentials: WechatPayCredentials,
    method: 'GET' | 'POST',
    pathWithQuery: string,
    body?: Record<string, unknown>,
  ): Promise<WechatPayResponse> {
    const payload = body === undefined ? '' : JSON.stringify(body);
    const timestamp = String(Math.floor(this.clock().getTime() / 1000));
    const nonce = this.nonce();
    const signature = signSha256Rsa(
      requestMessage(method, pathWithQuery, timestamp, nonce, payload),
      createPrivateKey(credentials.merchantPrivateKeyPem),
    );
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'User-Agent': 'massage-saas-wechatpay-v3',
      Authorization: authorizationHeader({
        mchId: credentials.mchId,
        serialNo: credentials.merchantSerialNo,
        nonce,
        timestamp,
        signature,
      }),
    };
    if (body !== undefined) headers['Content-Type'] = 'application/json';

    let res: Response;
    let text: string;
    try {
      res = await this.fetchFn(`${this.baseUrl}${pathWithQuery}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: payload }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await res.text();
    } catch (e) {
      throw new ProviderRequestError('unavailable', `WeChat Pay request failed: ${(e as Error).message}`);
    }
    if (res.status >= 500) {
      throw new ProviderRequestError('unavailable', `WeChat Pay answered ${res.status}`, { status: res.status });
    }
    this.verifyResponse(credentials, res, text);
    let data: Record<string, unknown> = {};
    if (text.length > 0) {
      try {
        data = JSON.parse(text) as Record<string, unknown>;
      } catch {
        throw new ProviderRequestError('unexpected', 'WeChat Pay answered with a body that is not JSON', {
          status: res.status,
        });
      }
    }
    return { status: res.status, data };
  }

  private verifyResponse(credentials: WechatPayCredentials, res: Response, text: string): void {
    const timestamp = res.headers.get('wechatpay-timestamp') ?? '';
    const nonce = res.headers.get('wechatpay-nonce') ?? '';
    const serial = res.headers.get('wechatpay-serial') ?? '';
    const signature = res.headers.get('wechatpay-signature') ?? '';
    const fail = (why: string) =>
      new ProviderRequestError('signature', `WeChat Pay response rejected: ${why}`, { status: res.status });
    if (!timestamp || !nonce || !serial || !signature) throw fail('missing signature headers');
    const now = this.clock();
    if (!timestampIsFresh(timestamp, now)) throw fail('timestamp outside 5 minutes');
    const key = platformKeyFor(credentials, serial, now);
    if (!key) throw fail(`unknown platform serial ${serial}`);
    if (!verifySha256Rsa(platformMessage(timestamp, nonce, text), signature, key)) throw fail('bad signature');
  }
}
