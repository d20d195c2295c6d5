import { describe, expect, it } from 'vitest';
import { fileReferencedSql as sut } from './file-references';

describe('fileReferencedSql', () => {
  it('checks each kind of column within the file’s own store', () => {
    const sql = sut([
      { table: 'technicians', column: 'photo_file_id', holds: 'id' },
      { table: 'services', column: 'images', holds: 'text[]' },
      { table: 'tenants', column: 'logo_url', holds: 'text', storeColumn: 'id' },
    ]);
    expect(sql).toContain('FROM technicians r WHERE r.tenant_id = f.tenant_id AND r.photo_file_id = f.id');
    expect(sql).toContain('FROM services r, unnest(r.images) AS v(x) WHERE r.tenant_id = f.tenant_id');
    expect(sql).toContain("strpos(lower(v.x), '/api/files/' || f.id::text) > 0");
    expect(sql).toContain('FROM tenants r WHERE r.id = f.tenant_id AND (lower(r.logo_url) = f.id::text');
    expect(sql.match(/EXISTS/g)).toHaveLength(3);
  });

  it('refuses identifiers that are not plain names', () => {
    expect(() => sut([{ table: 'x; DROP TABLE files', column: 'a', holds: 'id' }])).toThrow(/bad identifier/);
  });
});
