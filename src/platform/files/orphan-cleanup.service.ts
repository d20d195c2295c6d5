import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG } from '../../config/load-config';
import type { AppConfig } from '../../config/config.schema';
import { AuditService } from '../audit/audit.service';
import { TenantContext } from '../database/tenant-context';
import { parseFileKey } from './file-key';
import { FILE_STORAGE, type FileStorage } from './file-storage';
import { FilesRepository } from './files.repository';

/** Files per run; the job repeats, so a backlog drains over a few runs without a long transaction. */
export const ORPHAN_BATCH = 200;
const PARALLEL_DELETES = 20;

/**
 * Deletes the current store's uploads that nothing references once they are older than the grace
 * period (FILES_ORPHAN_GRACE_SECONDS): an application abandoned half-way, a photo replaced. Runs
 * in the store's tenant context (the `files.cleanup` job). Rows first, then blobs, in the same
 * unit of work: if a blob cannot be deleted the batch rolls back and the next run retries, and
 * deleting a blob that is already gone is a no-op, so running again is always safe.
 */
@Injectable()
export class OrphanCleanupService {
  private readonly logger = new Logger('files.cleanup');

  constructor(
    private readonly repo: FilesRepository,
    private readonly tenantContext: TenantContext,
    private readonly audit: AuditService,
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Returns how many files were deleted. */
  async sweep(): Promise<number> {
    const tenantId = this.tenantContext.tenantId();
    const graceSeconds = this.config.FILES_ORPHAN_GRACE_SECONDS;
    const gone = await this.repo.deleteUnreferenced(graceSeconds, ORPHAN_BATCH);
    if (gone.length === 0) return 0;
    for (let i = 0; i < gone.length; i += PARALLEL_DELETES) {
      await Promise.all(
        gone.slice(i, i + PARALLEL_DELETES).map(async ({ id, storageKey }) => {
          // A key not of this store's shape cannot name a blob we wrote: nothing to delete there.
          if (parseFileKey(storageKey)?.tenantId !== tenantId) {
            this.logger.warn({ msg: 'file row without a valid storage key deleted', tenantId, fileId: id });
            return;
          }
          await this.storage.delete(storageKey);
        }),
      );
    }
    await this.audit.record({
      actorType: 'system',
      action: 'file.orphans_deleted',
      targetType: 'file',
      details: { count: gone.length, fileIds: gone.map((g) => g.id), graceSeconds },
    });
    return gone.length;
  }
}
