import { randomUUID } from 'node:crypto';

export type FileKind = 'image' | 'certificate';
export const FILE_KINDS: readonly FileKind[] = ['image', 'certificate'];

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const KEY = new RegExp(`^tenants/(${UUID})/(image|certificate)/\\d{4}/\\d{2}/(${UUID})\\.(jpg|png|webp|pdf)$`);

/**
 * `tenants/{tenantId}/{kind}/{yyyy}/{mm}/{fileId}.{ext}`. The store id leads the key, so a key
 * can never name another store's object; the strict shape also rules out path traversal in the
 * local driver.
 */
export function buildFileKey(tenantId: string, kind: FileKind, ext: string, at: Date, fileId = randomUUID()): string {
  const yyyy = String(at.getUTCFullYear()).padStart(4, '0');
  const mm = String(at.getUTCMonth() + 1).padStart(2, '0');
  const key = `tenants/${tenantId}/${kind}/${yyyy}/${mm}/${fileId}.${ext}`;
  if (!KEY.test(key)) throw new Error(`cannot build a file key from ${JSON.stringify({ tenantId, kind, ext })}`);
  return key;
}

export interface ParsedFileKey {
  tenantId: string;
  kind: FileKind;
  fileId: string;
}

export function parseFileKey(key: string): ParsedFileKey | null {
  const m = KEY.exec(key);
  if (!m) return null;
  return { tenantId: m[1]!, kind: m[2] as FileKind, fileId: m[3]! };
}

/** Throws unless `key` is well formed and belongs to `tenantId` (checked before every read). */
export function assertKeyOfTenant(key: string, tenantId: string): void {
  const parsed = parseFileKey(key);
  if (!parsed || parsed.tenantId !== tenantId) throw new Error('file key does not belong to this store');
}
