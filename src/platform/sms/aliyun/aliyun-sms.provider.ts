import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { maskPhone } from '../../crypto/phone';
import { SmsSendError } from '../sms-errors';
import { postToGateway } from '../sms-gateway-http';
import type { SmsProvider, SmsTemplate } from '../sms-provider';
import { SMS_TEMPLATE_VARIABLES, templateValues, type SmsTemplateIds } from '../sms-templates';
import { acsDate, canonicalQueryString, signAcs3 } from './aliyun-acs3-signer';
import { aliyunFailure } from './aliyun-sms-codes';

export const ALIYUN_SMS_ENDPOINT = 'https://dysmsapi.aliyuncs.com';

export interface AliyunSmsOptions {
  accessKeyId: string;
  accessKeySecret: string;
  signName: string;
  templates: SmsTemplateIds;
  /** Default https://dysmsapi.aliyuncs.com; tests point it at a fake gateway. */
  endpoint?: string;
  timeoutMs: number;
  logger?: Logger;
  fetch?: typeof fetch;
  clock?: () => Date;
  nonce?: () => string;
}

/**
 * Aliyun SMS: Dysmsapi `SendSms` (API 2017-05-25, RPC style) signed with ACS3-HMAC-SHA256. The
 * parameters travel in the query string (their place in the API metadata), the body is empty.
 */
export class AliyunSmsProvider implements SmsProvider {
  private readonly url: URL;
  private readonly fetchFn: typeof fetch;
  private readonly clock: () => Date;
  private readonly nonce: () => string;

  constructor(private readonly options: AliyunSmsOptions) {
    this.url = new URL(options.endpoint ?? ALIYUN_SMS_ENDPOINT);
    this.fetchFn = options.fetch ?? globalThis.fetch;
    this.clock = options.clock ?? (() => new Date());
    this.nonce = options.nonce ?? (() => randomBytes(16).toString('hex'));
  }

  async send(phone: string, template: SmsTemplate, params: Record<string, string>): Promise<void> {
    const values = templateValues(template, params);
    const variables = Object.fromEntries(SMS_TEMPLATE_VARIABLES[template].map((name, i) => [name, values[i]!]));
    const query = {
      PhoneNumbers: phone,
      SignName: this.options.signName,
      TemplateCode: this.options.templates[template],
      TemplateParam: JSON.stringify(variables),
    };
    const signed = signAcs3(
      {
        method: 'POST',
        host: this.url.host,
        canonicalUri: '/',
        query,
        action: 'SendSms',
        version: '2017-05-25',
        date: acsDate(this.clock()),
        nonce: this.nonce(),
        body: '',
      },
      this.options,
    );
    const answer = await postToGateway(
      'aliyun',
      `${this.url.origin}/?${canonicalQueryString(query)}`,
      { headers: { ...signed.headers, accept: 'application/json' } },
      { timeoutMs: this.options.timeoutMs, fetch: this.fetchFn },
    );
    const body = (answer.json ?? {}) as { Code?: unknown; Message?: unknown; BizId?: unknown; RequestId?: unknown };
    if (typeof body.Code !== 'string') {
      const failure = answer.status >= 500 ? 'unavailable' : 'rejected';
      throw new SmsSendError('aliyun', failure, `unexpected answer (HTTP ${answer.status}) without a Code`);
    }
    if (body.Code !== 'OK') {
      const detail = `${body.Code}: ${String(body.Message ?? '')} (HTTP ${answer.status}, RequestId ${String(body.RequestId ?? '-')})`;
      const failure = answer.status >= 500 ? 'unavailable' : aliyunFailure(body.Code);
      throw new SmsSendError('aliyun', failure, detail, body.Code);
    }
    this.options.logger?.info(
      { sms: { to: maskPhone(phone), template, gateway: 'aliyun', bizId: body.BizId, requestId: body.RequestId } },
      'sms sent',
    );
  }
}
