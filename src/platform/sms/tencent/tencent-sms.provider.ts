import type { Logger } from 'pino';
import { maskPhone } from '../../crypto/phone';
import { SmsSendError } from '../sms-errors';
import { postToGateway } from '../sms-gateway-http';
import type { SmsProvider, SmsTemplate } from '../sms-provider';
import { templateValues, type SmsTemplateIds } from '../sms-templates';
import { tencentFailure } from './tencent-sms-codes';
import { signTc3 } from './tencent-tc3-signer';

export const TENCENT_SMS_ENDPOINT = 'https://sms.tencentcloudapi.com';
const CONTENT_TYPE = 'application/json; charset=utf-8';

export interface TencentSmsOptions {
  secretId: string;
  secretKey: string;
  /** The SMS application (SdkAppId, e.g. 1400006666). */
  sdkAppId: string;
  /** X-TC-Region, e.g. ap-guangzhou. */
  region: string;
  signName: string;
  templates: SmsTemplateIds;
  /** Default https://sms.tencentcloudapi.com; tests point it at a fake gateway. */
  endpoint?: string;
  timeoutMs: number;
  logger?: Logger;
  fetch?: typeof fetch;
  clock?: () => Date;
}

interface SendSmsResponse {
  Response?: {
    Error?: { Code?: unknown; Message?: unknown };
    SendStatusSet?: Array<{ Code?: unknown; Message?: unknown; SerialNo?: unknown }>;
    RequestId?: unknown;
  };
}

/**
 * Tencent Cloud SMS: `SendSms` (API 2021-01-11) signed with TC3-HMAC-SHA256. Template values are
 * positional (TemplateParamSet, in SMS_TEMPLATE_VARIABLES order); numbers go out in E.164.
 */
export class TencentSmsProvider implements SmsProvider {
  private readonly url: URL;
  private readonly fetchFn: typeof fetch;
  private readonly clock: () => Date;

  constructor(private readonly options: TencentSmsOptions) {
    this.url = new URL(options.endpoint ?? TENCENT_SMS_ENDPOINT);
    this.fetchFn = options.fetch ?? globalThis.fetch;
    this.clock = options.clock ?? (() => new Date());
  }

  async send(phone: string, template: SmsTemplate, params: Record<string, string>): Promise<void> {
    const payload = JSON.stringify({
      PhoneNumberSet: [phone.startsWith('+') ? phone : `+86${phone}`],
      SmsSdkAppId: this.options.sdkAppId,
      SignName: this.options.signName,
      TemplateId: this.options.templates[template],
      TemplateParamSet: templateValues(template, params),
    });
    const timestamp = Math.floor(this.clock().getTime() / 1000);
    const { authorization } = signTc3(
      { host: this.url.host, contentType: CONTENT_TYPE, payload, service: 'sms', timestamp },
      this.options,
    );
    const answer = await postToGateway(
      'tencent',
      `${this.url.origin}/`,
      {
        headers: {
          authorization,
          'content-type': CONTENT_TYPE,
          'x-tc-action': 'SendSms',
          'x-tc-version': '2021-01-11',
          'x-tc-timestamp': String(timestamp),
          'x-tc-region': this.options.region,
        },
        body: payload,
      },
      { timeoutMs: this.options.timeoutMs, fetch: this.fetchFn },
    );
    const res = (answer.json as SendSmsResponse | undefined)?.Response;
    const requestId = String(res?.RequestId ?? '-');
    const fail = (code: string, message: unknown): SmsSendError => {
      const failure = answer.status >= 500 ? 'unavailable' : tencentFailure(code);
      const detail = `${code}: ${String(message ?? '')} (HTTP ${answer.status}, RequestId ${requestId})`;
      return new SmsSendError('tencent', failure, detail, code);
    };
    if (typeof res?.Error?.Code === 'string') throw fail(res.Error.Code, res.Error.Message);
    const status = res?.SendStatusSet?.[0];
    if (typeof status?.Code !== 'string') {
      const failure = answer.status >= 500 ? 'unavailable' : 'rejected';
      throw new SmsSendError('tencent', failure, `unexpected answer (HTTP ${answer.status}) without a send status`);
    }
    if (status.Code !== 'Ok') throw fail(status.Code, status.Message);
    this.options.logger?.info(
      { sms: { to: maskPhone(phone), template, gateway: 'tencent', serialNo: status.SerialNo, requestId } },
      'sms sent',
    );
  }
}
