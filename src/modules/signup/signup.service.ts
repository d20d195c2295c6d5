import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { ConflictException, GoneException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { APP_CONFIG } from '../../config/load-config';
import type { AppConfig } from '../../config/config.schema';
import { AuditService } from '../../platform/audit/audit.service';
import { FieldCipher, LookupHasher } from '../../platform/crypto/field-cipher';
import { hashPassword } from '../../platform/crypto/password';
import { normalizeCnMobile } from '../../platform/crypto/phone';
import { TenantContext } from '../../platform/database/tenant-context';
import { MailService } from '../../platform/mail/mail.service';
import { TenantDirectory } from '../../platform/tenancy/tenant-directory';
import { Prisma } from '../../generated/prisma/client';
import type { SignupDto } from './dto/signup.dto';
import type { VerifiedStoreDto } from './dto/signup-result.dto';
import { SignupLimits } from './signup-limits';
import { SignupRepository } from './signup.repository';

export const VERIFICATION_TTL_HOURS = 24;
const HOUR_MS = 3_600_000;

const slugTaken = () => new ConflictException({ code: 'SLUG_TAKEN', message: 'this store address is already taken' });
const sha256 = (token: string) => new Uint8Array(createHash('sha256').update(token).digest());
const bytes = (b: Buffer) => new Uint8Array(b);

/** Franchise sign-up: application → e-mail verification → a pending store with its owner. */
@Injectable()
export class SignupService {
  constructor(
    private readonly repo: SignupRepository,
    private readonly tenantContext: TenantContext,
    private readonly mail: MailService,
    private readonly audit: AuditService,
    private readonly directory: TenantDirectory,
    private readonly cipher: FieldCipher,
    private readonly hasher: LookupHasher,
    private readonly limits: SignupLimits,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async apply(input: SignupDto, ip: string): Promise<void> {
    await this.limits.consume([{ key: `apply:ip:${ip}`, max: 30, windowSeconds: 3600 }]);
    const phone = normalizeCnMobile(input.phone);
    if (!phone) throw new Error('phone passed validation but does not normalize');
    const id = randomUUID();
    const token = randomBytes(32).toString('base64url');
    const now = new Date();
    const locale = input.locale ?? 'zh-CN';
    const outcome = await this.repo.createApplication(
      {
        id,
        email: input.email,
        passwordHash: await hashPassword(input.password),
        ownerName: input.ownerName,
        storeName: input.storeName,
        slug: input.slug,
        city: input.city,
        phoneEnc: bytes(this.cipher.encrypt(phone, `${id}:tenant_applications.phone`)),
        phoneHash: bytes(this.hasher.hash('phone', phone)),
        locale,
        tokenHash: sha256(token),
        expiresAt: new Date(now.getTime() + VERIFICATION_TTL_HOURS * HOUR_MS),
      },
      now,
    );
    if (outcome === 'slug_taken') throw slugTaken();
    await this.audit.recordPlatform({
      actorType: 'anonymous',
      action: 'tenant.application.created',
      targetType: 'tenant_application',
      targetId: id,
      ip,
      details: { slug: input.slug },
    });
    await this.sendVerification(input.email, input.ownerName, input.storeName, locale, token);
  }

  /** Answers the same whether or not the address has a pending sign-up. */
  async resend(email: string, ip: string): Promise<void> {
    const emailKey = createHash('sha256').update(email).digest('hex').slice(0, 32);
    await this.limits.consume([
      { key: `resend:ip:${ip}`, max: 20, windowSeconds: 3600 },
      { key: `resend:email:${emailKey}`, max: 3, windowSeconds: 900 },
    ]);
    const app = await this.repo.findPendingByEmail(email, new Date());
    if (!app) return;
    const token = randomBytes(32).toString('base64url');
    // A new link replaces the old one, so only the latest e-mail works.
    await this.repo.rotateToken(app.id, sha256(token), new Date(Date.now() + VERIFICATION_TTL_HOURS * HOUR_MS));
    await this.sendVerification(app.email, app.ownerName, app.storeName, app.locale, token);
  }

  /**
   * Creates the store (`pending`) and its owner account in one transaction, inside the new
   * store's tenant context. Verifying twice returns the same store.
   */
  async verify(token: string, ip: string): Promise<VerifiedStoreDto> {
    const newTenantId = randomUUID();
    const result = await this.tenantContext
      .run(newTenantId, async () => {
        const app = await this.repo.lockByTokenHash(sha256(token));
        if (!app) throw new NotFoundException({ code: 'UNKNOWN_TOKEN', message: 'this link is not valid' });
        if (app.verifiedAt && app.tenantId) {
          const existing = await this.repo.findTenant(app.tenantId);
          if (!existing) throw new Error(`verified application ${app.id} has no tenant`);
          return { store: { ...existing, tenantId: existing.id }, app, created: false };
        }
        if (app.expiresAt.getTime() <= Date.now()) {
          throw new GoneException({ code: 'TOKEN_EXPIRED', message: 'this link has expired, sign up again' });
        }
        if (await this.repo.slugTaken(app.slug)) throw slugTaken();
        const phone = this.cipher.decrypt(app.phoneEnc, `${app.id}:tenant_applications.phone`);
        const { ownerId } = await this.repo.createStore(
          { tenantId: newTenantId, slug: app.slug, name: app.storeName, city: app.city, locale: app.locale },
          {
            email: app.email,
            passwordHash: app.passwordHash,
            name: app.ownerName,
            phoneEnc: bytes(this.cipher.encrypt(phone, `${newTenantId}:staff_accounts.phone`)),
            phoneHash: bytes(this.hasher.hash('phone', phone)),
          },
        );
        await this.repo.markVerified(app.id, newTenantId, new Date());
        await this.audit.record({
          actorType: 'staff',
          actorId: ownerId,
          action: 'tenant.signup_verified',
          targetType: 'tenant',
          targetId: newTenantId,
          ip,
          details: { applicationId: app.id, slug: app.slug },
        });
        return { store: { tenantId: newTenantId, slug: app.slug, status: 'pending' }, app, created: true };
      })
      .catch((e: unknown) => {
        // Someone took the slug between our check and the insert.
        if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002') throw slugTaken();
        throw e;
      });
    if (result.created) {
      await this.directory.invalidate();
      await this.audit.recordPlatform({
        actorType: 'anonymous',
        action: 'tenant.application.verified',
        targetTenantId: result.store.tenantId,
        targetType: 'tenant_application',
        targetId: result.app.id,
        ip,
      });
    }
    return {
      tenantId: result.store.tenantId,
      slug: result.store.slug,
      status: result.store.status,
      ownerEmail: result.app.email,
    };
  }

  private async sendVerification(to: string, ownerName: string, storeName: string, locale: string, token: string) {
    const link = `${this.config.PUBLIC_URL.replace(/\/$/, '')}/api/signup/verify?token=${token}`;
    await this.mail.send(to, 'signup.verify', locale, {
      ownerName,
      storeName,
      link,
      expiresHours: VERIFICATION_TTL_HOURS,
    });
  }
}
