import { CallbackRejectedError, type CallbackInput } from '../payment-provider';
import { platformKeyFor, type WechatPayCredentials } from './wechat-pay-credentials';
import { decryptResource, platformMessage, timestampIsFresh, verifySha256Rsa } from './wechat-pay-crypto';

/**
 * Opens a WeChat Pay v3 notification, payment (TRANSACTION.*) or refund (REFUND.*) alike: checks
 * the Wechatpay-* headers, the 5-minute window and the SHA256-RSA signature over the exact bytes
 * received, that the event belongs to `family`, then decrypts `resource` (AEAD_AES_256_GCM,
 * APIv3 key) and checks it names this merchant. Throws CallbackRejectedError otherwise.
 */
export function openNotification(
  input: CallbackInput<WechatPayCredentials>,
  family: 'TRANSACTION' | 'REFUND',
): { eventType: string; resource: Record<string, unknown> } {
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

  const envelope = parseJsonObject(body);
  const resource = envelope?.['resource'] as Record<string, unknown> | undefined;
  if (!resource || typeof resource !== 'object') throw new CallbackRejectedError('malformed', 'no resource');
  if (resource['algorithm'] !== 'AEAD_AES_256_GCM') {
    throw new CallbackRejectedError('decrypt', `unsupported algorithm ${String(resource['algorithm'])}`);
  }
  const eventType = String(envelope?.['event_type'] ?? '');
  if (!eventType.startsWith(`${family}.`)) {
    throw new CallbackRejectedError('malformed', `not a ${family.toLowerCase()} notification: ${eventType}`);
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
  const decrypted = parseJsonObject(plaintext);
  if (!decrypted) throw new CallbackRejectedError('malformed', 'decrypted resource is not JSON');
  // Refund resources carry no appid; payment resources must name ours too.
  if (decrypted['mchid'] !== c.mchId || (family === 'TRANSACTION' && decrypted['appid'] !== c.appId)) {
    throw new CallbackRejectedError('merchant', 'notification is for another merchant or app');
  }
  return { eventType, resource: decrypted };
}

/** The unverified event type of a notification body (routing only), or '' when it has none. */
export function peekEventType(rawBody: Buffer): string {
  const v = parseJsonObject(rawBody.toString('utf8'))?.['event_type'];
  return typeof v === 'string' ? v : '';
}

function header(headers: CallbackInput<unknown>['headers'], name: string): string {
  const entry = Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
  return (Array.isArray(entry) ? entry[0] : entry)?.trim() ?? '';
}

export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
