import { Injectable } from '@nestjs/common';
import { JobHandler } from '../queue/job-handler.decorator';
import { OrphanCleanupService } from './orphan-cleanup.service';

/** Payload of the repeatable `files.cleanup` job: one scheduler per store. */
export interface FilesCleanupPayload {
  tenantId: string;
}

/** Runs inside the store's tenant context (the worker's runner), so it sees only that store's files. */
@Injectable()
export class OrphanCleanupJob {
  constructor(private readonly cleanup: OrphanCleanupService) {}

  @JobHandler('files.cleanup')
  async run(_payload: FilesCleanupPayload): Promise<void> {
    await this.cleanup.sweep();
  }
}
