import { Injectable } from '@nestjs/common';
import { TenantContext } from '../database/tenant-context';
import { TenantDirectory, type TenantInfo } from './tenant-directory';

/**
 * The current unit of work's store (name, slug, zone, locale…). Usually a warm directory entry
 * (the request's guard has just resolved the store); otherwise one read on the unit of work's own
 * connection, never a second pool connection while this one is held (that could starve the pool
 * under load), and the row then warms the directory.
 */
@Injectable()
export class CurrentStore {
  constructor(
    private readonly tenantContext: TenantContext,
    private readonly directory: TenantDirectory,
  ) {}

  async info(): Promise<TenantInfo> {
    const id = this.tenantContext.tenantId();
    const hit = this.directory.peek(id);
    if (hit) return hit;
    const row = await this.tenantContext.db().tenant.findUnique({ where: { id } });
    if (!row) throw new Error('the current store does not exist');
    return this.directory.remember(row);
  }
}
