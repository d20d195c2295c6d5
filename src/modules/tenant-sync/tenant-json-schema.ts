import { z } from 'zod';
import { tenantFileSchema } from './tenant-file.schema';

/** JSON Schema of tenant.yaml for editors (`# yaml-language-server: $schema=../tenant.schema.json`). */
export function tenantJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(tenantFileSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, title: 'tenants/<slug>/tenant.yaml', description: 'A store synced by `npm run tenants:sync`.' };
}
