import {
  BadRequestException,
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { APP_CONFIG } from '../../config/load-config';
import type { AppConfig } from '../../config/config.schema';
import { ALLOW_CLOSED_STORE, TENANT_SCOPED } from '../http/route-metadata';
import { appRequest } from '../http/request-context';
import { slugFromHost, type RawRequestWithSlug } from './tenant-path';
import { TenantDirectory, type TenantInfo } from './tenant-directory';
import { isStaffRole, type Actor } from '../auth/actor';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Resolves the store of a @TenantScoped() request from the /t/{slug} path, the host, or the
 * token, and refuses a token issued by another store. Applies the store's status: a store that
 * is not active is closed to customers and technicians; suspended/rejected stores are read-only
 * for their staff.
 */
@Injectable()
export class TenantGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly directory: TenantDirectory,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (!this.reflector.getAllAndOverride<boolean>(TENANT_SCOPED, targets)) return true;
    const req = appRequest(ctx);
    const tenant = await this.resolve(req.raw as RawRequestWithSlug, req.headers.host, req.actor);
    if (req.actor) {
      if (req.actor.kind === 'operator') {
        throw new ForbiddenException('platform operators reach stores through the platform API');
      }
      if (req.actor.tenantId !== tenant.id) throw new ForbiddenException('this token belongs to another store');
    }
    if (!this.reflector.getAllAndOverride<boolean>(ALLOW_CLOSED_STORE, targets)) {
      assertOpenFor(tenant, req.actor, req.method);
    }
    req.tenant = tenant;
    return true;
  }

  private async resolve(raw: RawRequestWithSlug, host: string | undefined, actor?: Actor): Promise<TenantInfo> {
    const slug = raw.tenantSlugFromPath ?? slugFromHost(host, this.config.BASE_DOMAIN);
    if (slug) {
      const tenant = await this.directory.findBySlug(slug);
      if (!tenant) throw new NotFoundException('store not found');
      return tenant;
    }
    if (actor?.tenantId) {
      const tenant = await this.directory.findById(actor.tenantId);
      if (tenant) return tenant;
    }
    throw new BadRequestException('no store given: use {slug}.{domain} or /t/{slug}/');
  }
}

function assertOpenFor(tenant: TenantInfo, actor: Actor | undefined, method: string): void {
  const staff = actor !== undefined && isStaffRole(actor.role);
  if (!staff) {
    if (tenant.status !== 'active') {
      throw new ForbiddenException({ code: 'STORE_CLOSED', message: 'this store is not open', status: tenant.status });
    }
    return;
  }
  if ((tenant.status === 'suspended' || tenant.status === 'rejected') && !READS.has(method)) {
    throw new ForbiddenException({ code: 'STORE_READ_ONLY', message: `this store is ${tenant.status}: read-only` });
  }
}
