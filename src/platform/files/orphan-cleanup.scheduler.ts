import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../../config/load-config';
import type { AppConfig } from '../../config/config.schema';
import { TenantContext } from '../database/tenant-context';
import { JOB_DEFINITIONS } from '../queue/job-definitions';
import { JobQueue } from '../queue/job-queue';
import type { FilesCleanupPayload } from './orphan-cleanup.job';

/**
 * One repeatable `files.cleanup` job per store, created with its first upload (upserted, so
 * repeating it is harmless), so the sweep never lists stores across the tenant wall.
 */
@Injectable()
export class OrphanCleanupScheduler {
  private readonly ensured = new Set<string>();

  constructor(
    private readonly jobs: JobQueue,
    private readonly tenantContext: TenantContext,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async ensure(tenantId: string): Promise<void> {
    if (this.ensured.has(tenantId)) return;
    await this.tenantContext.afterCommit(async () => {
      const def = JOB_DEFINITIONS['files.cleanup']!;
      await this.jobs
        .queue(def.queue)
        .upsertJobScheduler(
          `files-cleanup-${tenantId}`,
          { every: this.config.FILES_CLEANUP_EVERY_MS },
          { name: 'files.cleanup', data: { tenantId } satisfies FilesCleanupPayload, opts: { attempts: def.attempts } },
        );
      this.ensured.add(tenantId);
    });
  }
}
