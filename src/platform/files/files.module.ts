import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { APP_CONFIG } from '../../config/load-config';
import type { AppConfig } from '../../config/config.schema';
import { AuthModule } from '../auth/auth.module';
import { BlobCipher } from './blob-cipher';
import { FILE_STORAGE, type FileStorage } from './file-storage';
import { FilesController } from './files.controller';
import { FilesRepository } from './files.repository';
import { FilesService } from './files.service';
import { LocalFileStorage } from './local-file-storage';
import { OrphanCleanupJob } from './orphan-cleanup.job';
import { OrphanCleanupScheduler } from './orphan-cleanup.scheduler';
import { OrphanCleanupService } from './orphan-cleanup.service';
import { installUploadBuffering } from './upload-buffering';

/** The S3 driver (and the AWS SDK, ~20 MB resident) is only loaded when it is configured. */
export async function createFileStorage(c: AppConfig): Promise<FileStorage> {
  if (c.FILES_DRIVER === 'local') return new LocalFileStorage(c.FILES_DIR);
  if (!c.S3_BUCKET) throw new Error('FILES_DRIVER=s3 needs S3_BUCKET');
  const { createS3FileStorage } = await import('./s3-file-storage.js');
  return createS3FileStorage(c, c.S3_BUCKET);
}

/**
 * Uploads (images, certificates) behind one FileStorage interface, rate limited per user and IP;
 * uploads nothing references are swept after a grace period. Import it to use FilesService.
 */
@Module({
  imports: [AuthModule],
  controllers: [FilesController],
  providers: [
    FilesRepository,
    FilesService,
    OrphanCleanupService,
    OrphanCleanupScheduler,
    OrphanCleanupJob,
    { provide: FILE_STORAGE, inject: [APP_CONFIG], useFactory: createFileStorage },
    { provide: BlobCipher, inject: [APP_CONFIG], useFactory: (c: AppConfig) => new BlobCipher(c.DATA_ENCRYPTION_KEY) },
  ],
  exports: [FilesService, FILE_STORAGE],
})
export class FilesModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    await installUploadBuffering(
      fastify,
      Math.max(this.config.FILES_MAX_IMAGE_BYTES, this.config.FILES_MAX_CERTIFICATE_BYTES),
    );
  }
}
