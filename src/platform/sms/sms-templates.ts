import type { SmsTemplate } from './sms-provider';

/** The gateway's approved template for each platform template (Aliyun TemplateCode, Tencent TemplateId). */
export type SmsTemplateIds = Readonly<Record<SmsTemplate, string>>;

/**
 * The variables each template is sent with, in the order of positional templates (Tencent `{1}`,
 * `{2}`); named templates (Aliyun `${code}`) receive them by name. The approved templates must use
 * exactly these — see the README's SMS section.
 */
export const SMS_TEMPLATE_VARIABLES: Readonly<Record<SmsTemplate, readonly string[]>> = {
  login_code: ['code', 'minutes'],
  technician_review: ['store', 'result'],
  notification: ['title', 'body'],
};

/** The template's variables in order; a missing one is a programming error, never a partial SMS. */
export function templateValues(template: SmsTemplate, params: Record<string, string>): string[] {
  return SMS_TEMPLATE_VARIABLES[template].map((name) => {
    const value = params[name];
    if (value === undefined) throw new Error(`SMS template ${template} needs the parameter "${name}"`);
    return value;
  });
}
