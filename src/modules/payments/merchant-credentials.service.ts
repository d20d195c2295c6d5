import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import type { MerchantCredential } from '../../generated/prisma/client';
import { AuditService } from '../../platform/audit/audit.service';
import { FieldCipher, LookupHasher } from '../../platform/crypto/field-cipher';
import { TenantContext } from '../../platform/database/tenant-context';
import type { MerchantCredentialView, SetMerchantCredentialDto } from './dto/merchant-credential.dto';
import { MerchantCredentialsRepository } from './merchant-credentials.repository';
import type { PaymentProvider } from './providers/payment-provider';
import { PaymentProviderRegistry } from './payment-provider.registry';
import { PaymentSettingsRepository } from './payment-settings.repository';

/** What a payment or a callback needs from the store's configuration of a provider. */
export interface StoreMerchant {
  credentials: unknown;
  /** what the provider reports as the merchant paid (checked on every callback and query) */
  merchantId: string;
  enabled: boolean;
}

/** Providers whose credentials a store configures (the others need none or are derived). */
export const CONFIGURABLE_PROVIDERS = ['wechat', 'alipay'] as const;
export type ConfigurableProvider = (typeof CONFIGURABLE_PROVIDERS)[number];

const aad = (tenantId: string, provider: string) => `${tenantId}:merchant_credentials:${provider}`;

const view = (c: MerchantCredential): MerchantCredentialView => ({
  provider: c.provider,
  merchantId: c.merchantId,
  enabled: c.enabled,
  updatedAt: c.updatedAt,
});

/**
 * Per-store merchant credentials, encrypted at rest (AES-GCM, AAD = store + provider, so a
 * ciphertext copied to another store or provider does not open). Secrets are never returned.
 * The sandbox's key is derived from the server's lookup key and the store id: every store has
 * its own, nobody configures it, and another store's key cannot sign for this one.
 */
@Injectable()
export class MerchantCredentialsService {
  constructor(
    private readonly repo: MerchantCredentialsRepository,
    private readonly settings: PaymentSettingsRepository,
    private readonly registry: PaymentProviderRegistry,
    private readonly cipher: FieldCipher,
    private readonly hasher: LookupHasher,
    private readonly tenantContext: TenantContext,
    private readonly audit: AuditService,
  ) {}

  async list(): Promise<MerchantCredentialView[]> {
    return (await this.repo.list()).map(view);
  }

  async set(
    actorId: string,
    provider: ConfigurableProvider,
    dto: SetMerchantCredentialDto,
  ): Promise<MerchantCredentialView> {
    const adapter = this.registry.get(provider);
    if (!adapter) {
      throw new ConflictException({
        code: 'PROVIDER_UNAVAILABLE',
        message: `${provider} is not available on this server`,
      });
    }
    let parsed: unknown;
    try {
      parsed = adapter.parseCredentials(dto.config);
    } catch (e) {
      throw new BadRequestException({
        code: 'VALIDATION_FAILED',
        message: 'invalid merchant credentials',
        fields: [{ field: 'config', messages: [(e as Error).message] }],
      });
    }
    const merchantId = merchantIdOf(adapter, parsed);
    const tenantId = this.tenantContext.tenantId();
    const sealed = this.cipher.encrypt(JSON.stringify(dto.config), aad(tenantId, provider));
    const row = await this.repo.upsert(provider, {
      merchantId,
      configEnc: new Uint8Array(sealed),
      enabled: dto.enabled,
      updatedBy: actorId,
    });
    await this.audit.record({
      actorType: 'staff',
      actorId,
      action: 'payments.merchant_credentials_set',
      targetType: 'merchant_credentials',
      targetId: provider,
      details: { merchantId, enabled: row.enabled },
    });
    return view(row);
  }

  async setEnabled(actorId: string, provider: ConfigurableProvider, enabled: boolean): Promise<MerchantCredentialView> {
    const row = await this.repo.setEnabled(provider, enabled, actorId);
    if (!row)
      throw new NotFoundException({ code: 'MERCHANT_NOT_CONFIGURED', message: `${provider} is not configured` });
    await this.audit.record({
      actorType: 'staff',
      actorId,
      action: enabled ? 'payments.merchant_enabled' : 'payments.merchant_disabled',
      targetType: 'merchant_credentials',
      targetId: provider,
    });
    return view(row);
  }

  /** The store's merchant for a provider, or null when it has none (configured or derived). */
  async forProvider(provider: string): Promise<StoreMerchant | null> {
    const tenantId = this.tenantContext.tenantId();
    if (provider === 'sandbox') {
      if (!this.registry.sandbox) return null;
      // switched off by the store: no new sandbox payments (callbacks of started ones still verify)
      const enabled = (await this.settings.get()).sandboxEnabled;
      return { credentials: this.sandboxCredentials(tenantId), merchantId: sandboxMerchantId(tenantId), enabled };
    }
    if (provider === 'balance' || provider === 'cash') return { credentials: null, merchantId: 'store', enabled: true };
    const row = await this.repo.find(provider);
    const adapter = this.registry.get(provider);
    if (!row || !adapter) return null;
    const config: unknown = JSON.parse(this.cipher.decrypt(row.configEnc, aad(tenantId, provider)));
    return { credentials: adapter.parseCredentials(config), merchantId: row.merchantId, enabled: row.enabled };
  }

  /**
   * Credentials to verify a notification with. The sandbox's on/off switch does not apply to
   * callbacks of payments already started, so it is not read (one statement less per callback).
   */
  async forCallback(provider: string): Promise<{ credentials: unknown } | null> {
    if (provider !== 'sandbox') return this.forProvider(provider);
    if (!this.registry.sandbox) return null;
    return { credentials: this.sandboxCredentials(this.tenantContext.tenantId()) };
  }

  sandboxCredentials(tenantId: string): { merchantId: string; key: string } {
    return {
      merchantId: sandboxMerchantId(tenantId),
      key: this.hasher.hash('payments.sandbox_key', tenantId).toString('hex'),
    };
  }
}

/** What the provider reports as the merchant paid (WeChat mchid; Alipay seller id, else app id). */
function merchantIdOf(adapter: PaymentProvider<unknown>, parsed: unknown): string {
  const withId = adapter as PaymentProvider<unknown> & { merchantIdOf?: (c: unknown) => string };
  const id = withId.merchantIdOf?.(parsed);
  if (!id) throw new Error(`${adapter.id} cannot name its merchant id`);
  return id;
}

export const sandboxMerchantId = (tenantId: string) => `SBX${tenantId.replaceAll('-', '').slice(0, 16)}`;
