import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { platformFileSchema, tenantFileSchema, type PlatformFile, type TenantFile } from './tenant-file.schema';

export interface LoadedTenant {
  /** Path as shown in messages (relative to the working directory). */
  file: string;
  dir: string;
  spec: TenantFile;
}

export interface LoadedTenants {
  tenants: LoadedTenant[];
  platform: PlatformFile | null;
}

/** Every problem in every file, one line each: `tenants/x/tenant.yaml: branding.themeColor must be #rrggbb`. */
export class TenantFileError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid tenants/ files:\n  ${problems.join('\n  ')}`);
    this.name = 'TenantFileError';
  }
}

/** Reads and validates `dir/<slug>/tenant.yaml` for every folder, and `dir/platform.yaml` if present. */
export async function loadTenantFiles(dir: string): Promise<LoadedTenants> {
  const problems: string[] = [];
  const tenants: LoadedTenant[] = [];
  const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  for (const folder of entries.sort()) {
    const path = join(dir, folder, 'tenant.yaml');
    const file = shown(path);
    if (!existsSync(path)) {
      problems.push(`${file}: missing`);
      continue;
    }
    const spec = await parseFile(path, tenantFileSchema, problems);
    if (!spec) continue;
    if (spec.slug !== folder) problems.push(`${file}: slug must equal the folder name (${folder})`);
    if (spec.branding.logo && !existsSync(join(dir, folder, spec.branding.logo))) {
      problems.push(`${file}: branding.logo file ${spec.branding.logo} not found in ${shown(join(dir, folder))}`);
    }
    tenants.push({ file, dir: join(dir, folder), spec });
  }
  const platformPath = join(dir, 'platform.yaml');
  const platform = existsSync(platformPath) ? await parseFile(platformPath, platformFileSchema, problems) : null;
  if (problems.length > 0) throw new TenantFileError(problems);
  return { tenants, platform };
}

async function parseFile<S extends z.ZodType>(path: string, schema: S, problems: string[]): Promise<z.infer<S> | null> {
  const file = shown(path);
  const doc = parseDocument(await readFile(path, 'utf8'), { prettyErrors: false });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) problems.push(`${file}: YAML ${e.message.split('\n')[0]}`);
    return null;
  }
  const parsed = schema.safeParse(doc.toJS());
  if (parsed.success) return parsed.data as z.infer<S>;
  for (const issue of parsed.error.issues) {
    const field = issue.path.map(String).join('.');
    problems.push(`${file}: ${field || '(root)'} ${issue.message}`);
  }
  return null;
}

const shown = (path: string) => relative(process.cwd(), path) || path;
