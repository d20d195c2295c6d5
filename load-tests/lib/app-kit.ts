import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { SignJWT } from 'jose';

/**
 * The bench seeds through the production build's own helpers (loaded from dist/ at run time,
 * never re-implemented), so encrypted columns, lookup hashes and masks have exactly the shapes the
 * API reads. The interfaces below are the slice of those modules the bench relies on.
 */
interface FieldCipherLike {
  encrypt(plain: string, aad: string): Buffer;
}
interface LookupHasherLike {
  hash(purpose: string, value: string): Buffer;
}
export interface CryptoModule {
  FieldCipher: new (base64Key: string) => FieldCipherLike;
  LookupHasher: new (base64Key: string) => LookupHasherLike;
}
export interface PhoneModule {
  maskPhone(phone: string): string;
}
export interface PasswordModule {
  hashPassword(password: string): Promise<string>;
}
export interface MigratorModule {
  migrate(opts: { adminUrl: string; appPassword?: string; log?: (msg: string) => void }): Promise<string[]>;
}

export type Role = 'platform_operator' | 'tenant_owner' | 'store_manager' | 'store_staff' | 'technician' | 'customer';
export type PrincipalKind = 'operator' | 'staff' | 'customer' | 'technician';

/** Secrets of one bench run: fresh each time, shared by the API and the baseline processes. */
export interface BenchSecrets {
  JWT_SECRET: string;
  DATA_ENCRYPTION_KEY: string;
  LOOKUP_HASH_KEY: string;
}

export function newSecrets(): BenchSecrets {
  return {
    JWT_SECRET: randomBytes(32).toString('hex'),
    DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    LOOKUP_HASH_KEY: randomBytes(32).toString('base64'),
  };
}

/** Same issuer and claims as src/platform/auth/access-token.service.ts. */
export const TOKEN_ISSUER = 'massage-saas';

/** The production modules the kit is made of: loaded from dist/ by the bench, from src/ by the tests. */
export interface AppModules {
  crypto: CryptoModule;
  phone: PhoneModule;
  password: PasswordModule;
  migrator: MigratorModule;
}

export function distModules(distDir: string): AppModules {
  return {
    crypto: load<CryptoModule>(distDir, 'src/platform/crypto/field-cipher.js'),
    phone: load<PhoneModule>(distDir, 'src/platform/crypto/phone.js'),
    password: load<PasswordModule>(distDir, 'src/platform/crypto/password.js'),
    migrator: load<MigratorModule>(distDir, 'src/platform/database/migrator.js'),
  };
}

export class AppKit {
  readonly cipher: FieldCipherLike;
  readonly hasher: LookupHasherLike;
  readonly maskPhone: (phone: string) => string;
  readonly hashPassword: (password: string) => Promise<string>;
  readonly migrator: MigratorModule;

  constructor(
    modules: AppModules,
    private readonly secrets: Pick<BenchSecrets, 'JWT_SECRET' | 'DATA_ENCRYPTION_KEY' | 'LOOKUP_HASH_KEY'>,
  ) {
    this.cipher = new modules.crypto.FieldCipher(secrets.DATA_ENCRYPTION_KEY);
    this.hasher = new modules.crypto.LookupHasher(secrets.LOOKUP_HASH_KEY);
    this.maskPhone = modules.phone.maskPhone;
    this.hashPassword = modules.password.hashPassword;
    this.migrator = modules.migrator;
  }

  /** An access token as the sign-in flow would issue it (valid for the whole run). */
  async accessToken(actor: { id: string; role: Role; tenantId: string | null; kind: PrincipalKind }): Promise<string> {
    return new SignJWT({ kind: actor.kind, role: actor.role, tid: actor.tenantId, sid: randomUUID() })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(actor.id)
      .setIssuer(TOKEN_ISSUER)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(this.secrets.JWT_SECRET));
  }
}

function load<T>(distDir: string, rel: string): T {
  // The build is CommonJS; require keeps this synchronous and independent of the bench's own output.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(join(distDir, rel)) as T;
}
