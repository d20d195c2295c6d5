import { createHash, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  BadRequestException,
  ForbiddenException,
  Inject,
  Injectable,
  NotFoundException,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { subject } from '@casl/ability';
import { APP_CONFIG } from '../../config/load-config';
import type { AppConfig } from '../../config/config.schema';
import type { Actor } from '../auth/actor';
import { RateLimiter } from '../auth/rate-limiter';
import type { AppAbility } from '../authz/app-ability';
import { AuditService } from '../audit/audit.service';
import { TenantContext } from '../database/tenant-context';
import type { StoredFile } from '../../generated/prisma/client';
import { BlobCipher } from './blob-cipher';
import { assertKeyOfTenant, buildFileKey, type FileKind } from './file-key';
import { FILE_STORAGE, type FileStorage } from './file-storage';
import { allowedMimes, sniffAllowedType } from './file-type-policy';
import { FilesRepository } from './files.repository';
import { OrphanCleanupScheduler } from './orphan-cleanup.scheduler';
import type { BufferedUpload } from './upload-buffering';
import type { FileView } from './dto/file.dto';

export interface OpenedFile {
  file: StoredFile;
  body: Readable | Buffer;
}

/** Upload and read files of the current store (callers run inside its tenant context). */
@Injectable()
export class FilesService {
  constructor(
    private readonly repo: FilesRepository,
    private readonly tenantContext: TenantContext,
    private readonly cipher: BlobCipher,
    private readonly audit: AuditService,
    private readonly limiter: RateLimiter,
    private readonly cleanup: OrphanCleanupScheduler,
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async upload(
    actor: Actor,
    ability: AppAbility,
    kind: FileKind,
    upload: BufferedUpload | undefined,
    ip: string,
  ): Promise<FileView> {
    if (actor.kind === 'operator') throw new ForbiddenException('platform operators do not upload store files');
    if (!ability.can('create', subject('StoredFile', { kind } as StoredFile))) {
      throw new ForbiddenException({ code: 'FILE_KIND_FORBIDDEN', message: `you may not upload a ${kind}` });
    }
    await this.consumeUploadAllowance(actor, ip);
    const bytes = this.requireBytes(upload);
    const limit = kind === 'image' ? this.config.FILES_MAX_IMAGE_BYTES : this.config.FILES_MAX_CERTIFICATE_BYTES;
    if (bytes.length > limit) throw tooLarge(kind, limit);
    const type = await sniffAllowedType(kind, bytes);
    if (!type) {
      throw new UnsupportedMediaTypeException({
        code: 'UNSUPPORTED_FILE_TYPE',
        message: `a ${kind} must be one of ${allowedMimes(kind).join(', ')} (checked from the file's content)`,
        fields: [{ field: 'file', messages: [`accepted: ${allowedMimes(kind).join(', ')}`] }],
      });
    }

    const tenantId = this.tenantContext.tenantId();
    const id = randomUUID();
    const key = buildFileKey(tenantId, kind, type.ext, new Date(), id);
    // Certificates (qualifications, ID scans) are personal data: sealed before they leave the process.
    const sensitive = kind === 'certificate';
    const stored = sensitive ? this.cipher.seal(bytes, BlobCipher.aad(tenantId, id)) : bytes;
    await this.storage.put(key, stored, sensitive ? 'application/octet-stream' : type.mime);
    try {
      const row = await this.repo.create({
        id,
        kind,
        contentType: type.mime,
        sizeBytes: bytes.length,
        storageKey: key,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        uploaderType: actor.kind,
        uploadedBy: actor.id,
        sensitive,
        encrypted: sensitive,
      });
      // An upload nobody ends up referencing is deleted after the grace period by this store's sweep.
      await this.cleanup.ensure(tenantId);
      if (sensitive) {
        await this.audit.record({
          actorType: actor.kind,
          actorId: actor.id,
          action: 'file.uploaded',
          targetType: 'file',
          targetId: id,
          details: { kind },
        });
      }
      return toView(row);
    } catch (err) {
      await this.storage.delete(key).catch(() => undefined);
      throw err;
    }
  }

  /** The file and its (decrypted) bytes, or 404 when it does not exist or is not visible to the caller. */
  async open(ability: AppAbility, id: string): Promise<OpenedFile> {
    const file = await this.findVisible(ability, id);
    if (!file) throw new NotFoundException({ code: 'FILE_NOT_FOUND', message: 'file not found' });
    assertKeyOfTenant(file.storageKey, this.tenantContext.tenantId());
    const stream = await this.storage.get(file.storageKey);
    if (!file.encrypted) return { file, body: stream };
    const sealed = await readAll(stream);
    return { file, body: this.cipher.open(sealed, BlobCipher.aad(file.tenantId, file.id)) };
  }

  /** For other modules referencing uploads (technician photos, certificates, service images). */
  async findVisible(ability: AppAbility, id: string): Promise<StoredFile | null> {
    const file = await this.repo.findById(id);
    return file && ability.can('read', subject('StoredFile', file)) ? file : null;
  }

  /** Rows of this store among `ids` (ids of another store simply are not found). */
  findByIds(ids: readonly string[]): Promise<StoredFile[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.repo.findByIds(ids);
  }

  /**
   * Every attempt counts (a refused type or size too), per user and per client IP, so neither
   * one account nor one address can fill the store's storage; 429 with Retry-After beyond.
   */
  private consumeUploadAllowance(actor: Actor, ip: string): Promise<void> {
    const c = this.config;
    return this.limiter.consume(
      [
        {
          key: `upload-user:${actor.kind}:${actor.id}`,
          max: c.FILES_UPLOADS_PER_USER,
          windowSeconds: c.FILES_UPLOAD_WINDOW_SECONDS,
        },
        { key: `upload-ip:${ip}`, max: c.FILES_UPLOADS_PER_IP, windowSeconds: c.FILES_UPLOAD_WINDOW_SECONDS },
      ],
      'too many uploads, try again later',
    );
  }

  private requireBytes(upload: BufferedUpload | undefined): Buffer {
    if (upload?.ok) return upload.bytes;
    if (upload?.reason === 'too_large') {
      throw tooLarge('file', Math.max(this.config.FILES_MAX_IMAGE_BYTES, this.config.FILES_MAX_CERTIFICATE_BYTES));
    }
    throw new BadRequestException({
      code: 'FILE_REQUIRED',
      message: 'send one file as multipart/form-data in the field `file`',
      fields: [{ field: 'file', messages: ['a non-empty file is required'] }],
    });
  }
}

function tooLarge(what: string, limit: number): PayloadTooLargeException {
  return new PayloadTooLargeException({
    code: 'FILE_TOO_LARGE',
    message: `the ${what} is larger than ${limit} bytes`,
    maxBytes: limit,
    fields: [{ field: 'file', messages: [`at most ${limit} bytes`] }],
  });
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

export function toView(row: StoredFile): FileView {
  return {
    id: row.id,
    kind: row.kind as FileKind,
    contentType: row.contentType,
    size: row.sizeBytes,
    sensitive: row.sensitive,
    url: `/api/files/${row.id}`,
    createdAt: row.createdAt.toISOString(),
  };
}
