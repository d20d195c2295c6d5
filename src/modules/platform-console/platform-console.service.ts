import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { APP_CONFIG } from '../../config/load-config';
import type { AppConfig } from '../../config/config.schema';
import type { Tenant } from '../../generated/prisma/client';
import type { Actor } from '../../platform/auth/actor';
import { FieldCipher } from '../../platform/crypto/field-cipher';
import { maskPhone } from '../../platform/crypto/phone';
import { MailService } from '../../platform/mail/mail.service';
import { TenantDirectory } from '../../platform/tenancy/tenant-directory';
import type {
  AuditPageDto,
  ListAuditQueryDto,
  ListTenantsQueryDto,
  StatusChangeDto,
  TenantDetailDto,
  TenantPageDto,
  TenantSummaryDto,
} from './dto/platform-console.dto';
import { PlatformConsoleRepository } from './platform-console.repository';
import { PlatformGateway, type StatusChange, type TargetStatus } from './platform.gateway';

/** What each console action does: from which status, to which. */
const ACTIONS = {
  approve: { from: 'pending', to: 'active' },
  reject: { from: 'pending', to: 'rejected' },
  suspend: { from: 'active', to: 'suspended' },
  reactivate: { from: 'suspended', to: 'active' },
} as const satisfies Record<string, { from: string; to: TargetStatus }>;
export type ConsoleAction = keyof typeof ACTIONS;

const notFound = () => new NotFoundException({ code: 'NOT_FOUND', message: 'store not found' });

/** Platform operators' view of stores: review sign-ups, approve, reject, suspend, reactivate. */
@Injectable()
export class PlatformConsoleService {
  constructor(
    private readonly repo: PlatformConsoleRepository,
    private readonly gateway: PlatformGateway,
    private readonly directory: TenantDirectory,
    private readonly mail: MailService,
    private readonly cipher: FieldCipher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async listTenants(q: ListTenantsQueryDto): Promise<TenantPageDto> {
    const { items, total } = await this.repo.listTenants(q.status, q);
    return { items: items.map(summary), total, page: q.page, pageSize: q.pageSize };
  }

  async getTenant(id: string): Promise<TenantDetailDto> {
    const tenant = await this.repo.findTenant(id);
    if (!tenant) throw notFound();
    const app = await this.repo.findApplicationOf(id);
    return {
      ...summary(tenant),
      displayName: tenant.displayName,
      address: tenant.address,
      timezone: tenant.timezone,
      application: app && {
        ownerEmail: app.email,
        ownerName: app.ownerName,
        ownerPhoneMasked: maskPhone(this.cipher.decrypt(app.phoneEnc, `${app.id}:tenant_applications.phone`)),
        appliedAt: app.createdAt.toISOString(),
        verifiedAt: app.verifiedAt?.toISOString() ?? null,
      },
    };
  }

  async change(
    action: ConsoleAction,
    id: string,
    reason: string | null,
    actor: Actor,
    ip: string,
  ): Promise<StatusChangeDto> {
    const { from, to } = ACTIONS[action];
    const current = await this.repo.findTenant(id);
    if (!current) throw notFound();
    // "approve" must not double as "reactivate": each action starts from one status.
    if (current.status !== from) {
      throw new ConflictException({
        code: 'ILLEGAL_TRANSITION',
        message: `cannot ${action} a store that is ${current.status}`,
      });
    }
    const changed = await this.gateway.setTenantStatus(id, to, reason, actor, ip);
    await this.directory.invalidate();
    await this.notifyOwner(action, changed, reason);
    return { id: changed.id, slug: changed.slug, name: changed.name, status: changed.status };
  }

  async listAudit(q: ListAuditQueryDto): Promise<AuditPageDto> {
    const { items, total } = await this.repo.listAudit({ tenantId: q.tenantId, action: q.action }, q);
    return {
      items: items.map((e) => ({ ...e, createdAt: e.createdAt.toISOString() })),
      total,
      page: q.page,
      pageSize: q.pageSize,
    };
  }

  private async notifyOwner(action: ConsoleAction, s: StatusChange, reason: string | null): Promise<void> {
    if (!s.ownerEmail) return;
    const ownerName = s.ownerName ?? s.name;
    if (action === 'approve') {
      const storeUrl = `${this.config.PUBLIC_URL.replace(/\/$/, '')}/t/${s.slug}/`;
      await this.mail.send(s.ownerEmail, 'store.approved', s.locale, { ownerName, storeName: s.name, storeUrl });
    } else if (action === 'reject') {
      await this.mail.send(s.ownerEmail, 'store.rejected', s.locale, {
        ownerName,
        storeName: s.name,
        reason: reason ?? '',
      });
    }
  }
}

function summary(t: Tenant): TenantSummaryDto {
  return {
    id: t.id,
    slug: t.slug,
    name: t.name,
    status: t.status,
    statusReason: t.statusReason,
    city: t.city,
    locale: t.locale,
    approvedAt: t.approvedAt?.toISOString() ?? null,
    createdAt: t.createdAt.toISOString(),
  };
}
