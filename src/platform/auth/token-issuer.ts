import { Injectable } from '@nestjs/common';
import type { Role } from './actor';
import { AccessTokenService } from './access-token.service';
import { AccountRepository } from './account.repository';
import { isStaffRole } from './actor';

/** A signed-in store principal as shown to the client (phones masked only). */
export interface TenantPrincipal {
  kind: 'staff' | 'customer' | 'technician';
  role: Role;
  id: string;
  phoneMasked?: string;
  email?: string;
  name?: string | null;
  status?: string;
  isNew?: boolean;
}

export interface IssuedTokens {
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  tokenType: 'Bearer';
  principal: TenantPrincipal | { kind: 'operator'; role: 'platform_operator'; id: string; email: string; name: string };
}

/** Turns a session into tokens, re-reading the principal so a role change or disabling applies. */
@Injectable()
export class TokenIssuer {
  constructor(
    private readonly tokens: AccessTokenService,
    private readonly accounts: AccountRepository,
  ) {}

  async issue(
    tenantId: string | null,
    principal: IssuedTokens['principal'],
    sessionId: string,
    refreshToken: string,
  ): Promise<IssuedTokens> {
    const accessToken = await this.tokens.issue({
      kind: principal.kind,
      id: principal.id,
      role: principal.role,
      tenantId,
      sessionId,
    });
    return { accessToken, expiresIn: this.tokens.ttlSeconds, refreshToken, tokenType: 'Bearer', principal };
  }

  /** The current state of a store principal; null when it no longer may sign in. */
  async loadPrincipal(type: string, id: string): Promise<TenantPrincipal | null> {
    switch (type) {
      case 'customer': {
        const row = await this.accounts.findCustomer(id);
        return row && { kind: 'customer', role: 'customer', id, phoneMasked: row.phoneMasked, name: row.nickname };
      }
      case 'technician': {
        const row = await this.accounts.findTechnician(id);
        if (!row || row.status === 'disabled') return null;
        return {
          kind: 'technician',
          role: 'technician',
          id,
          phoneMasked: row.phoneMasked,
          name: row.name,
          status: row.status,
        };
      }
      case 'staff': {
        const row = await this.accounts.findStaff(id);
        if (!row || row.disabledAt || !isStaffRole(row.role)) return null;
        return { kind: 'staff', role: row.role, id, email: row.email, name: row.name };
      }
      default:
        return null;
    }
  }
}
