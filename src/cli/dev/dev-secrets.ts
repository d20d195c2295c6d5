import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DevSecrets {
  JWT_SECRET: string;
  DATA_ENCRYPTION_KEY: string;
  LOOKUP_HASH_KEY: string;
  APP_DB_PASSWORD: string;
}

/**
 * Development keys, generated once per checkout under .data/ (git-ignored) so encrypted demo data
 * stays readable across restarts. Values from the environment win.
 */
export function loadDevSecrets(dataDir: string): DevSecrets {
  const file = join(dataDir, 'dev-secrets.json');
  let stored: Partial<DevSecrets> = {};
  if (existsSync(file)) stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<DevSecrets>;
  const secrets: DevSecrets = {
    JWT_SECRET: stored.JWT_SECRET ?? randomBytes(32).toString('hex'),
    DATA_ENCRYPTION_KEY: stored.DATA_ENCRYPTION_KEY ?? randomBytes(32).toString('base64'),
    LOOKUP_HASH_KEY: stored.LOOKUP_HASH_KEY ?? randomBytes(32).toString('base64'),
    APP_DB_PASSWORD: stored.APP_DB_PASSWORD ?? randomBytes(16).toString('hex'),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return {
    JWT_SECRET: process.env.JWT_SECRET ?? secrets.JWT_SECRET,
    DATA_ENCRYPTION_KEY: process.env.DATA_ENCRYPTION_KEY ?? secrets.DATA_ENCRYPTION_KEY,
    LOOKUP_HASH_KEY: process.env.LOOKUP_HASH_KEY ?? secrets.LOOKUP_HASH_KEY,
    APP_DB_PASSWORD: process.env.APP_DB_PASSWORD ?? secrets.APP_DB_PASSWORD,
  };
}
