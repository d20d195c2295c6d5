import type { FastifyInstance, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';

export const UPLOAD_ROUTE = '/api/files';

export type BufferedUpload =
  { ok: true; bytes: Buffer; filename: string } | { ok: false; reason: 'too_large' | 'missing' | 'malformed' };

declare module 'fastify' {
  interface FastifyRequest {
    bufferedUpload?: BufferedUpload;
  }
}

/**
 * Reads the uploaded file into memory BEFORE the Nest handler runs. Tenant-scoped handlers run
 * inside a database transaction; reading a slow client's upload there would hold a pooled
 * connection for as long as the client likes (a few slow uploads would starve the pool). The
 * outcome is only recorded here; the handler decides after sign-in and CASL checks, so an
 * anonymous caller learns nothing but 401.
 */
export async function installUploadBuffering(fastify: FastifyInstance, maxBytes: number): Promise<void> {
  await fastify.register(multipart, {
    limits: { fileSize: maxBytes, files: 1, fields: 0, parts: 1, headerPairs: 200 },
    throwFileSizeLimit: true,
  });
  fastify.addHook('preValidation', async (req: FastifyRequest) => {
    if (req.method !== 'POST' || req.routeOptions.url !== UPLOAD_ROUTE || !req.isMultipart()) return;
    req.bufferedUpload = await readOne(req);
  });
}

async function readOne(req: FastifyRequest): Promise<BufferedUpload> {
  try {
    const part = await req.file();
    if (!part || part.fieldname !== 'file') return { ok: false, reason: 'missing' };
    const bytes = await part.toBuffer();
    if (bytes.length === 0) return { ok: false, reason: 'missing' };
    return { ok: true, bytes, filename: part.filename };
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') return { ok: false, reason: 'too_large' };
    return { ok: false, reason: 'malformed' };
  }
}
