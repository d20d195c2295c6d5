import { createPrivateKey } from 'node:crypto';
import {
  CallbackRejectedError,
  type CallbackInput,
  type CreatePaymentInput,
  type CreatePaymentResult,
  type PaymentProvider,
  type ProviderReply,
  type QueryResult,
  type RefundInput,
  type RefundResult,
  type VerifiedCallback,
} from '../payment-provider';
import { ProviderRequestError } from '../provider-errors';
import { WechatPayClient, type WechatPayClientOptions, type WechatPayResponse } from './wechat-pay-client';
import { parseWechatPayCredentials, platformKeyFor, type WechatPayCredentials } from './wechat-pay-credentials';
import {
  decryptResource,
  jsapiPayParams,
  platformMessage,
  timestampIsFresh,
  verifySha256Rsa,
} from './wechat-pay-crypto';
import { fenAmount, mapTradeState, parseRfc3339, rfc3339Beijing, truncateDescription } from './wechat-pay-mapping';

/** WeChat Pay API v3 (direct merchant mode): JSAPI and H5 prepay, notifications, query, refund. */
export class WechatPayV3Provider implements PaymentProvider<WechatPayCredentials> {
  readonly id = 'wechat' as const;
  private readonly client: WechatPayClient;

  constructor(options: WechatPayClientOptions = {}) {
    this.client = new WechatPayClient(options);
  }

  parseCredentials(input: unknown): WechatPayCredentials {
    return parseWechatPayCredentials(input);
  }

  /** What `VerifiedCallback.merchantId` / `QueryResult.merchantId` must equal for this store. */
  merchantIdOf(credentials: WechatPayCredentials): string {
    return credentials.mchId;
  }

  async createPayment(input: CreatePaymentInput<WechatPayCredentials>): Promise<CreatePaymentResult> {
    const c = input.credentials;
    if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0) {
      throw new RangeError('amountFen must be a positive integer');
    }
    const common = {
      appid: c.appId,
      mchid: c.mchId,
      description: truncateDescription(input.description),
      out_trade_no: input.outTradeNo,
      time_expire: rfc3339Beijing(input.expiresAt),
      notify_url: input.notifyUrl,
      amount: { total: input.amountFen, currency: input.currency },
    };
    if (input.channel === 'jsapi') {
      if (!input.payer.openid) throw new RangeError('JSAPI payments need the payer openid');
      const res = await this.client.request(c, 'POST', '/v3/pay/transactions/jsapi', {
        ...common,
        payer: { openid: input.payer.openid },
        scene_info: { payer_client_ip: input.payer.clientIp },
      });
      const prepayId = okData(res)['prepay_id'];
      if (typeof prepayId !== 'string' || !prepayId) throw unexpected('prepay_id missing');
      return { kind: 'jsapi', params: this.jsapiParams(c, prepayId) };
    }
    if (input.channel === 'h5') {
      const res = await this.client.request(c, 'POST', '/v3/pay/transactions/h5', {
        ...common,
        scene_info: { payer_client_ip: input.payer.clientIp, h5_info: { type: 'Wap' } },
      });
      const h5Url = okData(res)['h5_url'];
      if (typeof h5Url !== 'string' || !h5Url) throw unexpected('h5_url missing');
      // Without redirect_url WeChat returns the customer to the page that started the payment.
      const url = new URL(h5Url);
      url.searchParams.set('redirect_url', input.returnUrl);
      return { kind: 'redirect', url: url.toString() };
    }
    throw new RangeError(`WeChat Pay does not support the ${input.channel} channel`);
  }

  private jsapiParams(c: WechatPayCredentials, prepayId: string): Record<string, string> {
    return jsapiPayParams({
      appId: c.appId,
      prepayId,
      timestamp: String(Math.floor(this.client.clock().getTime() / 1000)),
      nonce: this.client.nonce(),
      merchantPrivateKey: createPrivateKey(c.merchantPrivateKeyPem),
    });
  }

  async verifyCallback(input: CallbackInput<WechatPayCredentials>): Promise<VerifiedCallback> {
    const c = input.credentials;
    const timestamp = header(input.headers, 'wechatpay-timestamp');
    const nonce = header(input.headers, 'wechatpay-nonce');
    const serial = header(input.headers, 'wechatpay-serial');
    const signature = header(input.headers, 'wechatpay-signature');
    if (!timestamp || !nonce || !serial || !signature) {
      throw new CallbackRejectedError('malformed', 'missing Wechatpay-* signature headers');
    }
    if (!timestampIsFresh(timestamp, input.now)) {
      throw new CallbackRejectedError('timestamp', 'Wechatpay-Timestamp is more than 5 minutes from now');
    }
    const key = platformKeyFor(c, serial, input.now);
    if (!key) throw new CallbackRejectedError('signature', `unknown Wechatpay-Serial ${serial}`);
    // Verify the exact bytes received: re-serialising parsed JSON would change them.
    const body = input.rawBody.toString('utf8');
    if (!verifySha256Rsa(platformMessage(timestamp, nonce, body), signature, key)) {
      throw new CallbackRejectedError('signature', 'Wechatpay-Signature does not verify');
    }

    const envelope = parseJson(body);
    const resource = envelope?.['resource'] as Record<string, unknown> | undefined;
    if (!resource || typeof resource !== 'object') throw new CallbackRejectedError('malformed', 'no resource');
    if (resource['algorithm'] !== 'AEAD_AES_256_GCM') {
      throw new CallbackRejectedError('decrypt', `unsupported algorithm ${String(resource['algorithm'])}`);
    }
    if (!String(envelope?.['event_type'] ?? '').startsWith('TRANSACTION.')) {
      throw new CallbackRejectedError('malformed', `not a payment notification: ${String(envelope?.['event_type'])}`);
    }
    let plaintext: string;
    try {
      plaintext = decryptResource({
        apiV3Key: c.apiV3Key,
        nonce: str(resource['nonce']),
        associatedData: str(resource['associated_data']),
        ciphertext: str(resource['ciphertext']),
      });
    } catch {
      throw new CallbackRejectedError('decrypt', 'resource does not decrypt with the APIv3 key');
    }
    const tx = parseJson(plaintext);
    if (!tx) throw new CallbackRejectedError('malformed', 'decrypted resource is not JSON');
    if (tx['mchid'] !== c.mchId || tx['appid'] !== c.appId) {
      throw new CallbackRejectedError('merchant', 'notification is for another merchant or app');
    }
    const status = mapTradeState(tx['trade_state']);
    const amount = (tx['amount'] ?? {}) as Record<string, unknown>;
    const amountFen = fenAmount(amount['total']);
    if (!status || amountFen === undefined || typeof tx['out_trade_no'] !== 'string') {
      throw new CallbackRejectedError('malformed', 'transaction lacks trade_state, amount.total or out_trade_no');
    }
    const paidAt = parseRfc3339(tx['success_time']);
    return {
      outTradeNo: tx['out_trade_no'],
      providerTradeNo: str(tx['transaction_id']),
      status,
      amountFen,
      currency: str(amount['currency']) || 'CNY',
      merchantId: str(tx['mchid']),
      ...(paidAt ? { paidAt } : {}),
      raw: tx,
    };
  }

  /** API v3: 200/204 without a body acknowledges; any 4xx/5xx makes WeChat retry. */
  callbackReply(accepted: boolean): ProviderReply {
    if (accepted) return { status: 204, headers: {}, body: '' };
    return {
      status: 500,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: 'FAIL', message: '失败' }),
    };
  }

  async query(credentials: WechatPayCredentials, outTradeNo: string): Promise<QueryResult> {
    const path =
      `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}` +
      `?mchid=${encodeURIComponent(credentials.mchId)}`;
    const res = await this.client.request(credentials, 'GET', path);
    if (res.status === 404 || res.data['code'] === 'ORDER_NOT_EXIST') return { status: 'not_found' };
    const tx = okData(res);
    const status = mapTradeState(tx['trade_state']);
    if (!status || tx['out_trade_no'] !== outTradeNo) throw unexpected('query answer lacks trade_state or order');
    const amountFen = fenAmount((tx['amount'] as Record<string, unknown> | undefined)?.['total']);
    const paidAt = parseRfc3339(tx['success_time']);
    return {
      status,
      ...(typeof tx['transaction_id'] === 'string' ? { providerTradeNo: tx['transaction_id'] } : {}),
      ...(amountFen !== undefined ? { amountFen } : {}),
      merchantId: str(tx['mchid']),
      ...(paidAt ? { paidAt } : {}),
    };
  }

  async refund(input: RefundInput<WechatPayCredentials>): Promise<RefundResult> {
    const res = await this.client.request(input.credentials, 'POST', '/v3/refund/domestic/refunds', {
      out_trade_no: input.outTradeNo,
      out_refund_no: input.outRefundNo,
      ...(input.reason ? { reason: truncateDescription(input.reason).slice(0, 80) } : {}),
      ...(input.notifyUrl ? { notify_url: input.notifyUrl } : {}),
      amount: { refund: input.refundFen, total: input.totalFen, currency: 'CNY' },
    });
    const data = okData(res);
    const refundId = typeof data['refund_id'] === 'string' ? { providerRefundNo: data['refund_id'] } : {};
    switch (data['status']) {
      case 'SUCCESS':
        return { status: 'succeeded', ...refundId };
      case 'PROCESSING':
        return { status: 'processing', ...refundId };
      // ABNORMAL: the money could not reach the payer (card closed); it needs staff action in the
      // merchant platform, so for us the refund did not happen.
      case 'CLOSED':
      case 'ABNORMAL':
        return { status: 'failed', ...refundId };
      default:
        throw unexpected(`unknown refund status ${String(data['status'])}`);
    }
  }
}

function okData(res: WechatPayResponse): Record<string, unknown> {
  if (res.status >= 200 && res.status < 300) return res.data;
  throw new ProviderRequestError('rejected', `WeChat Pay: ${str(res.data['message']) || `HTTP ${res.status}`}`, {
    status: res.status,
    code: str(res.data['code']),
  });
}

function unexpected(why: string): ProviderRequestError {
  return new ProviderRequestError('unexpected', `WeChat Pay: ${why}`);
}

function header(headers: CallbackInput<unknown>['headers'], name: string): string {
  const entry = Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
  return (Array.isArray(entry) ? entry[0] : entry)?.trim() ?? '';
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
