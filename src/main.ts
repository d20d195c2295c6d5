import { loadConfig, ConfigError } from './config/load-config';
import { createApp } from './app.factory';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw e;
  }
  const app = await createApp(config);
  await app.listen({ port: config.PORT, host: config.HOST });
}

void main();
