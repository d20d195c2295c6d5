import { SmsSendError } from './sms-errors';

export interface GatewayAnswer {
  status: number;
  /** The parsed JSON body, or undefined when the body is not JSON. */
  json: unknown;
}

/**
 * One POST to an SMS gateway with a deadline. Network errors and timeouts become `unavailable`
 * (nothing was confirmed, so a retry is safe); every answer is returned for the caller to judge.
 */
export async function postToGateway(
  gateway: SmsSendError['gateway'],
  url: string,
  init: { headers: Record<string, string>; body?: string },
  options: { timeoutMs: number; fetch: typeof fetch },
): Promise<GatewayAnswer> {
  let res: Response;
  let text: string;
  try {
    res = await options.fetch(url, {
      method: 'POST',
      headers: init.headers,
      ...(init.body === undefined ? {} : { body: init.body }),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    text = await res.text();
  } catch (e) {
    const err = e as Error;
    const why = err.name === 'TimeoutError' ? `no answer within ${options.timeoutMs} ms` : err.message;
    throw new SmsSendError(gateway, 'unavailable', `request failed: ${why}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json };
}
