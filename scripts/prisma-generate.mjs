// `prisma generate` does not need the schema engine, but the CLI tries to download it unless
// PRISMA_SCHEMA_ENGINE_BINARY names an existing file. Point it at node itself (never executed).
import { spawnSync } from 'node:child_process';

const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
};
const r = spawnSync(process.execPath, ['node_modules/prisma/build/index.js', 'generate', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env,
});
process.exit(r.status ?? 1);
