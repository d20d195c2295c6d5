import { Inject, Injectable } from '@nestjs/common';
import { PRISMA } from '../../platform/database/database.tokens';
import type { PrismaClient } from '../../platform/database/prisma';
import { TenantContext } from '../../platform/database/tenant-context';
import type { TenantApplication } from '../../generated/prisma/client';

export interface NewApplication {
  id: string;
  email: string;
  passwordHash: string;
  ownerName: string;
  storeName: string;
  slug: string;
  city: string;
  phoneEnc: Uint8Array<ArrayBuffer>;
  phoneHash: Uint8Array<ArrayBuffer>;
  locale: string;
  tokenHash: Uint8Array<ArrayBuffer>;
  expiresAt: Date;
}

export interface NewStore {
  tenantId: string;
  slug: string;
  name: string;
  city: string;
  locale: string;
}

export interface NewOwner {
  email: string;
  passwordHash: string;
  name: string;
  phoneEnc: Uint8Array<ArrayBuffer>;
  phoneHash: Uint8Array<ArrayBuffer>;
}

/**
 * Sign-up storage. Applications are a platform table (root client); the store and its owner are
 * created inside the new store's own tenant context, which the tenants RLS policy requires.
 */
@Injectable()
export class SignupRepository {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly tenantContext: TenantContext,
  ) {}

  /** Inserts the application unless its slug is taken; serialised per slug so two cannot both win. */
  createApplication(app: NewApplication, now: Date): Promise<'created' | 'slug_taken'> {
    return this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`signup-slug:${app.slug}`}, 0))`;
      const tenant = await tx.tenant.findUnique({ where: { slug: app.slug }, select: { id: true } });
      if (tenant) return 'slug_taken';
      const pending = await tx.tenantApplication.findFirst({
        where: { slug: app.slug, verifiedAt: null, expiresAt: { gt: now } },
        select: { id: true },
      });
      if (pending) return 'slug_taken';
      await tx.tenantApplication.create({ data: app });
      return 'created';
    });
  }

  /** Newest unverified, unexpired application of an e-mail address. */
  findPendingByEmail(email: string, now: Date): Promise<TenantApplication | null> {
    return this.prisma.tenantApplication.findFirst({
      where: { email, verifiedAt: null, expiresAt: { gt: now } },
      orderBy: { createdAt: 'desc' },
    });
  }

  async rotateToken(id: string, tokenHash: Uint8Array<ArrayBuffer>, expiresAt: Date): Promise<void> {
    await this.prisma.tenantApplication.update({ where: { id }, data: { tokenHash, expiresAt } });
  }

  // --- inside TenantContext.run(newTenantId, …) -------------------------------------------------

  /** The application of a token, locked until the verifying transaction ends. */
  async lockByTokenHash(tokenHash: Uint8Array<ArrayBuffer>): Promise<TenantApplication | null> {
    const db = this.tenantContext.db();
    const rows = await db.$queryRaw<Array<{ id: string }>>`
      SELECT id FROM tenant_applications WHERE token_hash = ${tokenHash} FOR UPDATE`;
    const id = rows[0]?.id;
    return id ? db.tenantApplication.findUnique({ where: { id } }) : null;
  }

  async slugTaken(slug: string): Promise<boolean> {
    return (await this.tenantContext.db().tenant.count({ where: { slug } })) > 0;
  }

  findTenant(id: string): Promise<{ id: string; slug: string; status: string } | null> {
    return this.tenantContext.db().tenant.findUnique({ where: { id }, select: { id: true, slug: true, status: true } });
  }

  /** RLS lets the app role insert exactly one tenant: the current one, as `pending`. */
  async createStore(store: NewStore, owner: NewOwner): Promise<{ ownerId: string }> {
    const db = this.tenantContext.db();
    await db.tenant.create({
      data: {
        id: store.tenantId,
        slug: store.slug,
        name: store.name,
        displayName: store.name,
        city: store.city,
        locale: store.locale,
        status: 'pending',
      },
    });
    const staff = await db.staffAccount.create({
      data: { tenantId: store.tenantId, role: 'tenant_owner', ...owner },
      select: { id: true },
    });
    return { ownerId: staff.id };
  }

  async markVerified(applicationId: string, tenantId: string, at: Date): Promise<void> {
    await this.tenantContext
      .db()
      .tenantApplication.update({ where: { id: applicationId }, data: { verifiedAt: at, tenantId } });
  }
}
