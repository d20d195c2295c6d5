import type { AlipaySdk, AlipaySdkCommonResult } from 'alipay-sdk' with { 'resolution-mode': 'import' };
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
} from '../payment-provider';
import { ProviderRequestError } from '../provider-errors';
import { fenToYuan, formatBeijing, parseBeijing, yuanToFen } from './alipay-amount';
import { parseAlipayCredentials, type AlipayCredentials } from './alipay-credentials';

export interface AlipayProviderOptions {
  /** Default https://openapi.alipay.com/gateway.do; tests point it at a fake gateway. */
  gateway?: string;
  clock?: () => Date;
  timeoutMs?: number;
}

const TRADE_STATUS: Record<string, VerifiedCallback['status']> = {
  TRADE_SUCCESS: 'succeeded',
  TRADE_FINISHED: 'succeeded',
  WAIT_BUYER_PAY: 'pending',
  // Also what a fully refunded trade turns into: the service must not un-pay a paid order on it.
  TRADE_CLOSED: 'closed',
};

/**
 * Alipay through the official alipay-sdk (OpenAPI v1 gateway, RSA2, public-key mode): mobile
 * website pay (alipay.trade.wap.pay), notifications, alipay.trade.query, alipay.trade.refund and
 * alipay.trade.fastpay.refund.query.
 */
export class AlipayProvider implements PaymentProvider<AlipayCredentials> {
  readonly id = 'alipay' as const;
  private readonly gateway: string;
  private readonly clock: () => Date;
  private readonly timeoutMs: number;

  constructor(options: AlipayProviderOptions = {}) {
    this.gateway = options.gateway ?? 'https://openapi.alipay.com/gateway.do';
    this.clock = options.clock ?? (() => new Date());
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  parseCredentials(input: unknown): AlipayCredentials {
    return parseAlipayCredentials(input);
  }

  /** What `VerifiedCallback.merchantId` must equal for this store: the seller id when known, else the app id. */
  merchantIdOf(credentials: AlipayCredentials): string {
    return credentials.sellerId ?? credentials.appId;
  }

  async createPayment(input: CreatePaymentInput<AlipayCredentials>): Promise<CreatePaymentResult> {
    if (input.channel !== 'wap' && input.channel !== 'h5') {
      throw new RangeError(`Alipay does not support the ${input.channel} channel`);
    }
    const url = (await this.sdk(input.credentials)).pageExecute('alipay.trade.wap.pay', 'GET', {
      bizContent: {
        out_trade_no: input.outTradeNo,
        total_amount: fenToYuan(input.amountFen),
        subject: Array.from(input.description).slice(0, 256).join(''),
        product_code: 'QUICK_WAP_WAY',
        quit_url: input.returnUrl,
        time_expire: formatBeijing(input.expiresAt),
      },
      notifyUrl: input.notifyUrl,
      returnUrl: input.returnUrl,
      timestamp: formatBeijing(this.clock()),
    });
    return { kind: 'redirect', url };
  }

  async verifyCallback(input: CallbackInput<AlipayCredentials>): Promise<VerifiedCallback> {
    const c = input.credentials;
    const params: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(input.rawBody.toString('utf8'))) {
      if (k in params) throw new CallbackRejectedError('malformed', `duplicate field ${k}`);
      params[k] = v;
    }
    if (!params['sign']) throw new CallbackRejectedError('signature', 'notification is not signed');
    if (params['sign_type'] && params['sign_type'] !== 'RSA2') {
      throw new CallbackRejectedError('signature', `sign_type ${params['sign_type']} is not accepted`);
    }
    // Alipay (like its Java SDK) leaves empty values out of the signed content; alipay-sdk for
    // Node would include them as `key=`, so drop them first. V2: the values are already
    // URL-decoded by the form parser; decoding again would corrupt '%'.
    const signed = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== ''));
    if (!(await this.sdk(c)).checkNotifySignV2(signed)) {
      throw new CallbackRejectedError('signature', 'RSA2 signature does not verify with the Alipay public key');
    }
    if (params['app_id'] !== c.appId || (c.sellerId !== undefined && params['seller_id'] !== c.sellerId)) {
      throw new CallbackRejectedError('merchant', 'notification is for another app or seller');
    }
    const status = TRADE_STATUS[params['trade_status'] ?? ''];
    const amountFen = yuanToFen(params['total_amount'] ?? '');
    const outTradeNo = params['out_trade_no'];
    if (!status || amountFen === undefined || !outTradeNo) {
      throw new CallbackRejectedError('malformed', 'notification lacks trade_status, total_amount or out_trade_no');
    }
    const paidAt = parseBeijing(params['gmt_payment']);
    return {
      outTradeNo,
      providerTradeNo: params['trade_no'] ?? '',
      status,
      amountFen,
      currency: 'CNY',
      merchantId: c.sellerId !== undefined ? (params['seller_id'] ?? '') : (params['app_id'] ?? ''),
      ...(paidAt ? { paidAt } : {}),
      raw: params,
    };
  }

  /** Alipay stops retrying only on the literal body `success`. */
  callbackReply(accepted: boolean): ProviderReply {
    return {
      status: 200,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: accepted ? 'success' : 'fail',
    };
  }

  async query(credentials: AlipayCredentials, outTradeNo: string): Promise<QueryResult> {
    const res = await this.exec(credentials, 'alipay.trade.query', { out_trade_no: outTradeNo });
    if (res.code === '40004' && res.sub_code === 'ACQ.TRADE_NOT_EXIST') return { status: 'not_found' };
    requireSuccess(res);
    const status = TRADE_STATUS[String(res['trade_status'])];
    if (!status || res['out_trade_no'] !== outTradeNo) throw unexpected('query answer lacks trade_status or order');
    const amountFen = yuanToFen(String(res['total_amount'] ?? ''));
    const paidAt = parseBeijing(res['send_pay_date']);
    return {
      status,
      ...(typeof res['trade_no'] === 'string' ? { providerTradeNo: res['trade_no'] } : {}),
      ...(amountFen !== undefined ? { amountFen } : {}),
      ...(paidAt ? { paidAt } : {}),
    };
  }

  async refund(input: RefundInput<AlipayCredentials>): Promise<RefundResult> {
    const res = await this.exec(input.credentials, 'alipay.trade.refund', {
      out_trade_no: input.outTradeNo,
      out_request_no: input.outRefundNo,
      refund_amount: fenToYuan(input.refundFen),
      ...(input.reason ? { refund_reason: input.reason.slice(0, 256) } : {}),
    });
    requireSuccess(res);
    const providerRefundNo = typeof res['trade_no'] === 'string' ? { providerRefundNo: res['trade_no'] } : {};
    // fund_change=N: no money moved by this call (e.g. a retry of a refund already made);
    // alipay.trade.fastpay.refund.query tells which, so report it as not yet confirmed.
    return { status: res['fund_change'] === 'Y' ? 'succeeded' : 'processing', ...providerRefundNo };
  }

  /**
   * alipay.trade.fastpay.refund.query. Code 10000 only means the query worked: the refund happened
   * when the answer carries it (out_request_no, refund_amount) with refund_status REFUND_SUCCESS
   * or none (refunds made through the synchronous alipay.trade.refund omit it). No refund data:
   * Alipay has not executed it, and the same out_request_no may be submitted again.
   */
  async queryRefund(input: RefundQueryInput<AlipayCredentials>): Promise<RefundStatusReport> {
    const res = await this.exec(input.credentials, 'alipay.trade.fastpay.refund.query', {
      out_trade_no: input.outTradeNo,
      out_request_no: input.outRefundNo,
      query_options: ['gmt_refund_pay'],
    });
    const notFound: RefundStatusReport = { outRefundNo: input.outRefundNo, status: 'not_found' };
    if (res.code === '40004' && res.sub_code === 'ACQ.TRADE_NOT_EXIST') return notFound;
    requireSuccess(res);
    const refundFen = yuanToFen(String(res['refund_amount'] ?? ''));
    if (res['out_request_no'] !== input.outRefundNo || refundFen === undefined) return notFound;
    const status = res['refund_status'];
    if (status !== undefined && status !== 'REFUND_SUCCESS')
      return { outRefundNo: input.outRefundNo, status: 'processing' };
    const succeededAt = parseBeijing(res['gmt_refund_pay']);
    return {
      outRefundNo: input.outRefundNo,
      status: 'succeeded',
      refundFen,
      ...(typeof res['out_trade_no'] === 'string' ? { outTradeNo: res['out_trade_no'] } : {}),
      ...(typeof res['trade_no'] === 'string' ? { providerRefundNo: res['trade_no'] } : {}),
      ...(succeededAt ? { succeededAt } : {}),
    };
  }

  private async sdk(c: AlipayCredentials): Promise<AlipaySdk> {
    const { AlipaySdk } = await loadAlipaySdk();
    return new AlipaySdk({
      appId: c.appId,
      privateKey: c.privateKeyPem,
      keyType: 'PKCS8',
      alipayPublicKey: c.alipayPublicKeyPem,
      gateway: this.gateway,
      timeout: this.timeoutMs,
      camelcase: false,
    });
  }

  private async exec(
    c: AlipayCredentials,
    method: string,
    bizContent: Record<string, unknown>,
  ): Promise<AlipaySdkCommonResult> {
    const sdk = await this.sdk(c);
    const { AlipayRequestError } = await loadAlipaySdk();
    try {
      return await sdk.exec(
        method,
        // The SDK's own timestamp is the process's local time; Alipay expects Beijing time.
        { bizContent, timestamp: formatBeijing(this.clock()) },
        { validateSign: true },
      );
    } catch (e) {
      if (e instanceof AlipayRequestError && !e.message.includes('验签')) {
        const kind = /^HttpClient|^HTTP /.test(e.message) ? 'unavailable' : 'unexpected';
        throw new ProviderRequestError(kind, `Alipay ${method}: ${e.message}`, { status: e.responseHttpStatus });
      }
      // A response whose signature is bad or missing: never act on its content.
      throw new ProviderRequestError('signature', `Alipay ${method}: response signature rejected`);
    }
  }
}

/** alipay-sdk (with urllib and undici) is ~9 MB of heap: loaded on the first Alipay call, not at boot. */
const loadAlipaySdk = () => import('alipay-sdk');

function requireSuccess(res: AlipaySdkCommonResult): void {
  if (res.code !== '10000') {
    throw new ProviderRequestError('rejected', `Alipay: ${res.sub_msg ?? res.msg}`, {
      code: res.sub_code ?? res.code,
    });
  }
}

function unexpected(why: string): ProviderRequestError {
  return new ProviderRequestError('unexpected', `Alipay: ${why}`);
}
