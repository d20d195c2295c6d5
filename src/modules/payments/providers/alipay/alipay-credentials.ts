import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { InvalidCredentialsError } from '../provider-errors';

/**
 * A store's Alipay app credentials (public-key mode). Keys are stored normalised to PEM
 * (PKCS#8 private, SPKI public) whatever the merchant pasted: Alipay's key tool hands out bare
 * base64 in either PKCS#1 or PKCS#8, and alipay-sdk needs to be told which.
 */
export interface AlipayCredentials {
  appId: string;
  privateKeyPem: string;
  alipayPublicKeyPem: string;
  /** The merchant's Alipay user id (2088…); when set, notifications must name it as seller_id. */
  sellerId?: string;
}

const schema = z.object({
  appId: z
    .string()
    .trim()
    .regex(/^\d{8,32}$/, 'must be the numeric Alipay app id'),
  privateKeyPem: z.string().trim().min(1),
  alipayPublicKeyPem: z.string().trim().min(1),
  sellerId: z
    .string()
    .trim()
    .regex(/^2088\d{12}$/, 'must be the 16-digit Alipay user id starting with 2088')
    .optional(),
});

export function parseAlipayCredentials(input: unknown): AlipayCredentials {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new InvalidCredentialsError(
      parsed.error.issues.map((i) => ({ field: i.path.join('.') || 'credentials', messages: [i.message] })),
    );
  }
  const c = parsed.data;
  const problems: { field: string; messages: string[] }[] = [];
  let privateKeyPem = '';
  let alipayPublicKeyPem = '';
  try {
    privateKeyPem = loadPrivateKey(c.privateKeyPem).export({ type: 'pkcs8', format: 'pem' }).toString();
  } catch (e) {
    problems.push({ field: 'privateKeyPem', messages: [(e as Error).message] });
  }
  try {
    alipayPublicKeyPem = loadPublicKey(c.alipayPublicKeyPem).export({ type: 'spki', format: 'pem' }).toString();
  } catch (e) {
    problems.push({ field: 'alipayPublicKeyPem', messages: [(e as Error).message] });
  }
  if (problems.length > 0) throw new InvalidCredentialsError(problems);
  return { appId: c.appId, privateKeyPem, alipayPublicKeyPem, ...(c.sellerId ? { sellerId: c.sellerId } : {}) };
}

function loadPrivateKey(text: string): KeyObject {
  const key = text.includes('-----BEGIN')
    ? createPrivateKey(text)
    : tryEach([
        () => createPrivateKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'pkcs8' }),
        () => createPrivateKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'pkcs1' }),
      ]);
  if (key.asymmetricKeyType !== 'rsa') throw new Error('must be an RSA key');
  return key;
}

function loadPublicKey(text: string): KeyObject {
  const key = text.includes('-----BEGIN')
    ? createPublicKey(text)
    : tryEach([
        () => createPublicKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'spki' }),
        () => createPublicKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'pkcs1' }),
      ]);
  if (key.asymmetricKeyType !== 'rsa') throw new Error('must be an RSA key');
  return key;
}

function tryEach(loaders: (() => KeyObject)[]): KeyObject {
  for (const load of loaders) {
    try {
      return load();
    } catch {
      // try the next encoding
    }
  }
  throw new Error('not a PEM or base64 DER RSA key');
}
