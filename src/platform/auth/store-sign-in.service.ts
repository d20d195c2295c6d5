import { ForbiddenException, Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../../config/load-config';
import type { AppConfig } from '../../config/config.schema';
import { AuditService } from '../audit/audit.service';
import { LookupHasher } from '../crypto/field-cipher';
import { dummyPasswordHash, verifyPassword } from '../crypto/password';
import { maskPhone, normalizeCnMobile } from '../crypto/phone';
import type { TenantInfo } from '../tenancy/tenant-directory';
import { isStaffRole } from './actor';
import { AuthFailure, invalidCredentials, invalidRefreshToken } from './auth-failure';
import { AccountRepository } from './account.repository';
import { PhoneSealer } from './phone-sealer';
import { RateLimiter } from './rate-limiter';
import { parseRefreshToken } from './refresh-token';
import { SessionService, type ClientInfo } from './session.service';
import { SmsCodeService, type CodePurpose } from './sms-code.service';
import { TokenIssuer, type IssuedTokens, type TenantPrincipal } from './token-issuer';
import { TenantSessionRepository } from './tenant-session.repository';

/** Sign-in at one store: SMS codes for customers and technicians, passwords for staff, refresh. */
@Injectable()
export class StoreSignInService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly codes: SmsCodeService,
    private readonly accounts: AccountRepository,
    private readonly sessions: SessionService,
    private readonly store: TenantSessionRepository,
    private readonly issuer: TokenIssuer,
    private readonly phones: PhoneSealer,
    private readonly hasher: LookupHasher,
    private readonly limiter: RateLimiter,
    private readonly audit: AuditService,
  ) {}

  async sendCode(tenant: TenantInfo, phone: string, purpose: CodePurpose, client: ClientInfo) {
    const { expiresIn } = await this.codes.send(tenant.id, purpose, mobile(phone), client.ip ?? 'unknown');
    return { sent: true, expiresIn };
  }

  async smsLogin(
    tenant: TenantInfo,
    purpose: CodePurpose,
    input: { phone: string; code: string },
    client: ClientInfo,
  ): Promise<IssuedTokens> {
    const phone = mobile(input.phone);
    const check = await this.codes.verify(tenant.id, purpose, phone, input.code, client.ip ?? 'unknown');
    if (!check.ok) {
      await this.failed('sms', client, { purpose, phoneMasked: maskPhone(phone), reason: `code_${check.reason}` });
      if (check.reason === 'locked') {
        throw new AuthFailure('RATE_LIMITED', 'too many wrong codes: request a new code', 429, {
          retryAfterSeconds: check.retryAfterSeconds,
        });
      }
      throw new AuthFailure('INVALID_CODE', 'the code is wrong or has expired', 401, {
        attemptsLeft: check.attemptsLeft,
      });
    }
    const sealed = this.phones.seal(tenant.id, purpose === 'customer' ? 'customers' : 'technicians', phone);
    let principal: TenantPrincipal;
    if (purpose === 'customer') {
      const { row, created } = await this.accounts.upsertCustomer(sealed);
      principal = { kind: 'customer', role: 'customer', id: row.id, phoneMasked: row.phoneMasked, isNew: created };
    } else {
      const { row, created } = await this.accounts.upsertTechnician(sealed);
      if (row.status === 'disabled') {
        await this.failed('sms', client, { purpose, reason: 'account_disabled' }, row.id);
        throw new AuthFailure('ACCOUNT_DISABLED', 'this technician account is disabled', 403);
      }
      principal = {
        kind: 'technician',
        role: 'technician',
        id: row.id,
        phoneMasked: row.phoneMasked,
        name: row.name,
        status: row.status,
        isNew: created,
      };
    }
    return this.signedIn(tenant, principal, 'sms', client);
  }

  async staffLogin(tenant: TenantInfo, email: string, password: string, client: ClientInfo): Promise<IssuedTokens> {
    const accountKey = `pw-acct:${tenant.id}:${this.hasher.hash('email', email).toString('hex')}`;
    const c = this.config;
    await this.limiter.consume(
      [
        { key: `pw-ip:${client.ip ?? 'unknown'}`, max: c.PASSWORD_ATTEMPTS_PER_IP_PER_15_MIN, windowSeconds: 900 },
        { key: accountKey, max: c.PASSWORD_ATTEMPTS_PER_ACCOUNT_PER_15_MIN, windowSeconds: 900 },
      ],
      'too many sign-in attempts, try again later',
    );
    const row = await this.accounts.findStaffByEmail(email);
    // Verify against a real hash even for unknown emails so the timing does not tell them apart.
    const ok = await verifyPassword(row?.passwordHash ?? (await dummyPasswordHash()), password);
    if (!row || !ok || row.disabledAt || !isStaffRole(row.role)) {
      const reason = !row ? 'unknown_account' : !ok ? 'wrong_password' : 'account_disabled';
      await this.failed('password', client, { email, reason }, row?.id);
      throw invalidCredentials();
    }
    await this.limiter.reset(accountKey);
    const principal: TenantPrincipal = { kind: 'staff', role: row.role, id: row.id, email: row.email, name: row.name };
    return this.signedIn(tenant, principal, 'password', client);
  }

  async refresh(tenant: TenantInfo, presented: string, client: ClientInfo): Promise<IssuedTokens> {
    const parsed = parseRefreshToken(presented);
    // Another store's token is answered exactly like an unknown one.
    if (parsed?.scope !== 'tenant' || parsed.tenantId !== tenant.id) throw invalidRefreshToken();
    const result = await this.sessions.rotate(this.store, tenant.id, presented);
    if (result.kind === 'invalid') throw invalidRefreshToken();
    const { session } = result;
    if (result.kind === 'reused') {
      await this.audit.record({
        actorType: session.principalType as 'staff',
        actorId: session.principalId,
        action: 'auth.refresh_token_reused',
        targetType: 'auth_session',
        targetId: session.id,
        ip: client.ip,
        details: { userAgent: client.userAgent },
      });
      throw invalidRefreshToken();
    }
    const principal = await this.issuer.loadPrincipal(session.principalType, session.principalId);
    if (!principal) {
      await this.sessions.end(this.store, session.id, 'account_disabled');
      throw invalidRefreshToken();
    }
    if (principal.kind !== 'staff' && tenant.status !== 'active') {
      throw new ForbiddenException({ code: 'STORE_CLOSED', message: 'this store is not open', status: tenant.status });
    }
    return this.issuer.issue(tenant.id, principal, session.id, result.refreshToken);
  }

  private async signedIn(
    tenant: TenantInfo,
    principal: TenantPrincipal,
    method: 'sms' | 'password',
    client: ClientInfo,
  ): Promise<IssuedTokens> {
    const { sessionId, refreshToken } = await this.sessions.start(
      this.store,
      tenant.id,
      { type: principal.kind, id: principal.id },
      client,
    );
    await this.audit.record({
      actorType: principal.kind,
      actorId: principal.id,
      action: 'auth.sign_in',
      targetType: 'auth_session',
      targetId: sessionId,
      ip: client.ip,
      details: { method, isNew: principal.isNew ?? false, userAgent: client.userAgent },
    });
    return this.issuer.issue(tenant.id, principal, sessionId, refreshToken);
  }

  private failed(method: string, client: ClientInfo, details: Record<string, unknown>, accountId?: string) {
    return this.audit.record({
      actorType: 'anonymous',
      action: 'auth.sign_in_failed',
      targetType: accountId ? (method === 'password' ? 'staff' : 'technician') : undefined,
      targetId: accountId,
      ip: client.ip,
      details: { method, ...details },
    });
  }
}

function mobile(input: string): string {
  const phone = normalizeCnMobile(input);
  // The DTO already validated it; this guards direct callers.
  if (!phone) throw new Error('not a mainland mobile number');
  return phone;
}
