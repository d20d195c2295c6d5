import { createSign, type KeyObject } from 'node:crypto';

/**
 * A minimal self-signed X.509 v3 certificate (RSA, sha256WithRSAEncryption) encoded by hand in
 * DER. Node can parse and verify certificates but cannot create them; doing it here keeps the
 * tests free of an `openssl` binary, and lets a test pick the serial number (WeChat Pay names a
 * platform certificate by its serial, upper-case hex) and the validity window.
 */
export interface SelfSignedCertificateInput {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Hex serial number, e.g. '5157F09EFDC096DE15EBE81A47057A7232F1B8E1'. */
  serialHex: string;
  commonName?: string;
  notBefore?: Date;
  notAfter?: Date;
}

export function selfSignedCertificatePem(input: SelfSignedCertificateInput): string {
  const notBefore = input.notBefore ?? new Date(Date.UTC(2020, 0, 1));
  const notAfter = input.notAfter ?? new Date(Date.UTC(2049, 11, 31));
  const algorithm = seq(oid([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b]), tlv(0x05, Buffer.alloc(0)));
  const name = seq(
    tlv(0x31, seq(oid([0x55, 0x04, 0x03]), tlv(0x0c, Buffer.from(input.commonName ?? 'Test Platform', 'utf8')))),
  );
  const tbs = seq(
    tlv(0xa0, tlv(0x02, Buffer.from([0x02]))),
    integerFromHex(input.serialHex),
    algorithm,
    name,
    seq(utcTime(notBefore), utcTime(notAfter)),
    name,
    input.publicKey.export({ type: 'spki', format: 'der' }),
  );
  const signature = createSign('RSA-SHA256').update(tbs).sign(input.privateKey);
  const der = seq(tbs, algorithm, tlv(0x03, Buffer.concat([Buffer.from([0x00]), signature])));
  const body = der.toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN CERTIFICATE-----\n${body.trimEnd()}\n-----END CERTIFICATE-----\n`;
}

function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), derLength(content.length), content]);
}

function seq(...parts: Buffer[]): Buffer {
  return tlv(0x30, Buffer.concat(parts));
}

function oid(bytes: number[]): Buffer {
  return tlv(0x06, Buffer.from(bytes));
}

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function integerFromHex(hex: string): Buffer {
  let clean = hex.replace(/[^0-9a-f]/gi, '');
  if (clean.length % 2 === 1) clean = `0${clean}`;
  let bytes = Buffer.from(clean, 'hex');
  // DER integers are signed: a leading 0x00 keeps a serial with its high bit set positive.
  if ((bytes[0] ?? 0) & 0x80) bytes = Buffer.concat([Buffer.from([0x00]), bytes]);
  return tlv(0x02, bytes);
}

function utcTime(d: Date): Buffer {
  const p = (n: number) => String(n).padStart(2, '0');
  const text =
    p(d.getUTCFullYear() % 100) +
    p(d.getUTCMonth() + 1) +
    p(d.getUTCDate()) +
    p(d.getUTCHours()) +
    p(d.getUTCMinutes()) +
    p(d.getUTCSeconds()) +
    'Z';
  return tlv(0x17, Buffer.from(text, 'ascii'));
}
