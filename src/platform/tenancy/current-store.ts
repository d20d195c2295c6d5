import { Injectable } from '@nestjs/common';
import { TenantContext } from '../database/tenant-context';
import { TenantDirectory, type TenantInfo } from './tenant-directory';

const SQL_ROW = `SELECT id, slug, name, status, display_name AS "displayName", logo_url AS "logoUrl",
                        theme_color AS "themeColor", timezone, locale FROM tenants WHERE id = $1`;

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
    const row = this.tenantContext.isSql()
      ? (await this.tenantContext.query<Parameters<TenantDirectory['remember']>[0]>(SQL_ROW, [id]))[0]
      : await this.tenantContext.db().tenant.findUnique({ where: { id } });
    if (!row) throw new Error('the current store does not exist');
    return this.directory.remember(row);
  }
}
