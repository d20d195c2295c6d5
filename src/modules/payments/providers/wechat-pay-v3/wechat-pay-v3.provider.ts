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
  type RefundQueryInput,
  type RefundResult,
  type RefundStatusReport,
  type VerifiedCallback,
  type VerifiedRefundCallback,
} from '../payment-provider';
import { ProviderRequestError } from '../provider-errors';
import { WechatPayClient, type WechatPayClientOptions, type WechatPayResponse } from './wechat-pay-client';
import { parseWechatPayCredentials, type WechatPayCredentials } from './wechat-pay-credentials';
import { jsapiPayParams } from './wechat-pay-crypto';
import { fenAmount, mapTradeState, parseRfc3339, rfc3339Beijing, truncateDescription } from './wechat-pay-mapping';
import { openNotification, peekEventType, str } from './wechat-pay-notification';
import { mapRefundState, refundReport } from './wechat-pay-refund-mapping';

/**
 * WeChat Pay API v3 (direct merchant mode): JSAPI and H5 prepay, payment and refund notifications,
 * payment and refund queries, refund.
 */
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
    const { resource: tx } = openNotification(input, 'TRANSACTION');
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

  isRefundNotification(rawBody: Buffer): boolean {
    return peekEventType(rawBody).startsWith('REFUND.');
  }

  /** REFUND.SUCCESS / REFUND.ABNORMAL / REFUND.CLOSED: verified and decrypted like a payment notification. */
  async verifyRefundCallback(input: CallbackInput<WechatPayCredentials>): Promise<VerifiedRefundCallback> {
    const { resource } = openNotification(input, 'REFUND');
    const report = refundReport(resource, 'refund_status');
    if (!report) {
      throw new CallbackRejectedError('malformed', 'refund lacks refund_status, amount.refund or out_refund_no');
    }
    return { ...report, merchantId: str(resource['mchid']), raw: resource };
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
    const status = mapRefundState(data['status']);
    if (!status) throw unexpected(`unknown refund status ${String(data['status'])}`);
    return { status, ...(typeof data['refund_id'] === 'string' ? { providerRefundNo: data['refund_id'] } : {}) };
  }

  async queryRefund(input: RefundQueryInput<WechatPayCredentials>): Promise<RefundStatusReport> {
    const path = `/v3/refund/domestic/refunds/${encodeURIComponent(input.outRefundNo)}`;
    const res = await this.client.request(input.credentials, 'GET', path);
    if (res.status === 404 || res.data['code'] === 'RESOURCE_NOT_EXISTS') {
      return { outRefundNo: input.outRefundNo, status: 'not_found' };
    }
    const report = refundReport(okData(res), 'status');
    if (!report || report.outRefundNo !== input.outRefundNo)
      throw unexpected('refund query answer lacks status or refund');
    return report;
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
