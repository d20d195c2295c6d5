/**
 * Every place a store's data can point at an uploaded file. The orphan cleanup deletes only files
 * that none of these reference; `test/files.test.ts` fails when a column that looks like a file
 * reference (or a foreign key into `files`) is missing here, so a new feature cannot have its
 * uploads swept away by forgetting this list.
 */
export interface FileReference {
  table: string;
  column: string;
  /**
   * `id`: a uuid column holding `files.id`; `text` / `text[]`: free text that may be a file id or
   * a URL containing `/api/files/{id}` (service images, store photos, the logo).
   */
  holds: 'id' | 'text' | 'text[]';
  /** The column naming the store: `tenant_id`, or `id` for the tenants row itself. */
  storeColumn?: 'tenant_id' | 'id';
}

export const FILE_REFERENCES: readonly FileReference[] = [
  { table: 'technicians', column: 'photo_file_id', holds: 'id' },
  { table: 'technician_certificates', column: 'file_id', holds: 'id' },
  { table: 'services', column: 'images', holds: 'text[]' },
  { table: 'store_profiles', column: 'photo_urls', holds: 'text[]' },
  { table: 'tenants', column: 'logo_url', holds: 'text', storeColumn: 'id' },
];

const IDENT = /^[a-z_][a-z0-9_]*$/;

/**
 * SQL true when the `files` row aliased `f` is referenced anywhere in its store. Identifiers come
 * from the constant list above (checked), never from input.
 */
export function fileReferencedSql(refs: readonly FileReference[] = FILE_REFERENCES): string {
  const textNames = (expr: string) =>
    `(lower(${expr}) = f.id::text OR strpos(lower(${expr}), '/api/files/' || f.id::text) > 0)`;
  const clauses = refs.map((r) => {
    for (const name of [r.table, r.column]) if (!IDENT.test(name)) throw new Error(`bad identifier ${name}`);
    const store = `r.${r.storeColumn ?? 'tenant_id'} = f.tenant_id`;
    if (r.holds === 'id') return `EXISTS (SELECT 1 FROM ${r.table} r WHERE ${store} AND r.${r.column} = f.id)`;
    if (r.holds === 'text')
      return `EXISTS (SELECT 1 FROM ${r.table} r WHERE ${store} AND ${textNames(`r.${r.column}`)})`;
    return `EXISTS (SELECT 1 FROM ${r.table} r, unnest(r.${r.column}) AS v(x) WHERE ${store} AND ${textNames('v.x')})`;
  });
  return `(${clauses.join(' OR ')})`;
}
