import { configSchema, type AppConfig } from './config.schema';

export class ConfigError extends Error {}

/** Validates the environment once at boot; every problem is listed with its variable name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = configSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `  - ${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
}

export const APP_CONFIG = Symbol('APP_CONFIG');
