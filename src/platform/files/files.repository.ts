import { Injectable } from '@nestjs/common';
import { TenantContext } from '../database/tenant-context';
import { Prisma, type StoredFile } from '../../generated/prisma/client';
import { fileReferencedSql } from './file-references';

const REFERENCED = Prisma.raw(fileReferencedSql());

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

  /**
   * Deletes up to `limit` of this store's files older than `graceSeconds` (by the database clock,
   * which also stamped `created_at`) that nothing references, oldest first, and returns their
   * storage keys. A reference written meanwhile through a foreign key holds a key-share lock on
   * the file row: the DELETE waits for it and then fails its own foreign-key check rather than
   * leave a dangling id (the job retries; the next run no longer picks that file).
   */
  deleteUnreferenced(graceSeconds: number, limit: number): Promise<{ id: string; storageKey: string }[]> {
    const tenantId = this.tenantContext.tenantId();
    return this.tenantContext.db().$queryRaw<{ id: string; storageKey: string }[]>`
      DELETE FROM files WHERE tenant_id = ${tenantId}::uuid AND id IN (
        SELECT f.id FROM files f
         WHERE f.tenant_id = ${tenantId}::uuid AND f.created_at < now() - make_interval(secs => ${graceSeconds}::float8)
           AND NOT ${REFERENCED}
         ORDER BY f.created_at
         LIMIT ${limit}::int)
      RETURNING id, storage_key AS "storageKey"`;
  }
}
