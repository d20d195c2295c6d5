import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { vi } from 'vitest';
import { SMS_PROVIDER, type SmsProvider } from '../../src/platform/sms/sms-provider';

/** Captures the codes the SMS provider would send, by phone number. */
export function captureSms(app: NestFastifyApplication): { last(phone: string): string | undefined; count(): number } {
  const provider = app.get<SmsProvider>(SMS_PROVIDER);
  const sent: Array<{ phone: string; code: string }> = [];
  vi.spyOn(provider, 'send').mockImplementation(async (phone, _template, params) => {
    sent.push({ phone, code: params.code ?? '' });
  });
  return {
    last: (phone) => sent.filter((s) => s.phone === phone).at(-1)?.code,
    count: () => sent.length,
  };
}

let phoneSeq = 0;
/** A fresh, valid mainland mobile number per call (distinct across test files by pid). */
export function newPhone(): string {
  phoneSeq += 1;
  const body = String((process.pid * 1000 + phoneSeq) % 100_000_000).padStart(8, '0');
  return `139${body}`;
}

/** A distinct client address so per-IP limits of one test do not affect another. */
let ipSeq = 0;
export function newIp(): string {
  ipSeq += 1;
  return `10.${(process.pid >> 8) & 255}.${process.pid & 255}.${ipSeq % 250}`;
}
