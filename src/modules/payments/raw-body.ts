import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';

export type RawBodyRequest = FastifyRequest & { rawBody?: Buffer };

/**
 * Keeps the exact bytes of the body for ONE route (provider callbacks: signatures are over the
 * raw body, and a re-serialised JSON would not verify). Other routes are untouched. Providers
 * that post forms (Alipay) need a form parser; the callback handler reads only the raw bytes.
 */
export function installRawBodyCapture(fastify: FastifyInstance, routeUrl: string, limitBytes: number): void {
  fastify.addHook('preParsing', async (req: RawBodyRequest, _reply, payload) => {
    if (req.routeOptions.url !== routeUrl) return payload;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of payload) {
      const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
      size += b.length;
      if (size > limitBytes) throw Object.assign(new Error('callback body too large'), { statusCode: 413 });
      chunks.push(b);
    }
    req.rawBody = Buffer.concat(chunks);
    const replay = Readable.from([req.rawBody]) as Readable & { receivedEncodedLength?: number };
    replay.receivedEncodedLength = req.rawBody.length;
    return replay;
  });
  if (!fastify.hasContentTypeParser('application/x-www-form-urlencoded')) {
    fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
      done(null, body),
    );
  }
}
