import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { InvalidCredentialsError } from '../provider-errors';

/**
 * A store's WeChat Pay merchant credentials. WeChat signs its callbacks and responses either with a
 * platform certificate (named by its serial number) or, for merchants onboarded since 2024, with a
 * platform public key (named `PUB_KEY_ID_…`). Both may be configured while a merchant migrates from
 * one to the other; `Wechatpay-Serial` on each message says which one signed it.
 */
export interface WechatPayCredentials {
  appId: string;
  mchId: string;
  /** Serial number of the merchant API certificate, sent as `serial_no` in our Authorization header. */
  merchantSerialNo: string;
  merchantPrivateKeyPem: string;
  /** The 32-character APIv3 key: the AES-256-GCM key of callback resources. */
  apiV3Key: string;
  platformCertificates?: { serialNo: string; pem: string }[];
  platformPublicKey?: { id: string; pem: string };
}

const schema = z
  .object({
    appId: z.string().trim().min(1).max(32),
    mchId: z
      .string()
      .trim()
      .regex(/^\d{6,32}$/, 'must be the numeric merchant id'),
    merchantSerialNo: z
      .string()
      .trim()
      .regex(/^[0-9A-Fa-f]{8,64}$/, 'must be the hex serial number of the merchant API certificate'),
    merchantPrivateKeyPem: z.string().min(1),
    apiV3Key: z.string().refine((v) => Buffer.byteLength(v, 'utf8') === 32, 'must be exactly 32 characters'),
    platformCertificates: z
      .array(z.object({ serialNo: z.string().trim().min(1), pem: z.string().min(1) }))
      .min(1)
      .optional(),
    platformPublicKey: z
      .object({
        id: z
          .string()
          .trim()
          .regex(/^PUB_KEY_ID_\w+$/, 'must start with PUB_KEY_ID_'),
        pem: z.string().min(1),
      })
      .optional(),
  })
  .refine((c) => c.platformCertificates !== undefined || c.platformPublicKey !== undefined, {
    message: 'either platformCertificates or platformPublicKey is required',
    path: ['platformPublicKey'],
  });

export function parseWechatPayCredentials(input: unknown): WechatPayCredentials {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new InvalidCredentialsError(
      parsed.error.issues.map((i) => ({ field: i.path.join('.') || 'credentials', messages: [i.message] })),
    );
  }
  const c = parsed.data;
  const problems: { field: string; messages: string[] }[] = [];
  const check = (field: string, fn: () => void) => {
    try {
      fn();
    } catch (e) {
      problems.push({ field, messages: [e instanceof Error ? e.message : String(e)] });
    }
  };
  check('merchantPrivateKeyPem', () => requireRsa(createPrivateKey(c.merchantPrivateKeyPem)));
  c.platformCertificates?.forEach((cert, i) =>
    check(`platformCertificates.${i}.pem`, () => {
      const x509 = new X509Certificate(cert.pem);
      requireRsa(x509.publicKey);
      if (x509.serialNumber.toUpperCase() !== cert.serialNo.toUpperCase()) {
        throw new Error(`certificate serial ${x509.serialNumber} does not match serialNo`);
      }
    }),
  );
  if (c.platformPublicKey) {
    const pem = c.platformPublicKey.pem;
    check('platformPublicKey.pem', () => requireRsa(createPublicKey(pem)));
  }
  if (problems.length > 0) throw new InvalidCredentialsError(problems);
  return {
    appId: c.appId,
    mchId: c.mchId,
    merchantSerialNo: c.merchantSerialNo.toUpperCase(),
    merchantPrivateKeyPem: c.merchantPrivateKeyPem,
    apiV3Key: c.apiV3Key,
    ...(c.platformCertificates
      ? {
          platformCertificates: c.platformCertificates.map((p) => ({ serialNo: p.serialNo.toUpperCase(), pem: p.pem })),
        }
      : {}),
    ...(c.platformPublicKey ? { platformPublicKey: c.platformPublicKey } : {}),
  };
}

function requireRsa(key: KeyObject): void {
  if (key.asymmetricKeyType !== 'rsa') throw new Error('must be an RSA key');
}

/**
 * The platform key that verifies a message whose `Wechatpay-Serial` is `serial`, or undefined when
 * the serial is unknown (or names a certificate outside its validity period at `now`).
 */
export function platformKeyFor(credentials: WechatPayCredentials, serial: string, now: Date): KeyObject | undefined {
  const pub = credentials.platformPublicKey;
  if (pub && pub.id === serial) return createPublicKey(pub.pem);
  const cert = credentials.platformCertificates?.find((c) => c.serialNo === serial.toUpperCase());
  if (!cert) return undefined;
  const x509 = new X509Certificate(cert.pem);
  if (now < new Date(x509.validFrom) || now > new Date(x509.validTo)) return undefined;
  return x509.publicKey;
}
