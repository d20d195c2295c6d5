import { Injectable } from '@nestjs/common';
import { TenantContext } from '../database/tenant-context';
import type { StoredFile } from '../../generated/prisma/client';

export type NewStoredFile = Omit<StoredFile, 'tenantId' | 'createdAt'>;

/** The only file touching the `files` table (always inside the request's tenant context). */
@Injectable()
export class FilesRepository {
  constructor(private readonly tenantContext: TenantContext) {}

  create(row: NewStoredFile): Promise<StoredFile> {
    return this.tenantContext.db().storedFile.create({ data: { ...row, tenantId: this.tenantContext.tenantId() } });
  }

  findById(id: string): Promise<StoredFile | null> {
    return this.tenantContext.db().storedFile.findUnique({
      where: { tenantId_id: { tenantId: this.tenantContext.tenantId(), id } },
    });
  }

  findByIds(ids: readonly string[]): Promise<StoredFile[]> {
    return this.tenantContext.db().storedFile.findMany({ where: { id: { in: [...ids] } } });
  }
}
