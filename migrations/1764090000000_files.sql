-- Up Migration

-- Uploaded files (images, certificates). The bytes live in a FileStorage (local disk or S3);
-- this row is the only way to find them, so RLS on it is what keeps one store from another's
-- files. The key itself also names the store (checked below), so even a key copied into another
-- store's row cannot point at a foreign object.
CREATE TABLE files (
  tenant_id     uuid NOT NULL REFERENCES tenants (id),
  id            uuid NOT NULL DEFAULT gen_random_uuid(),
  kind          text NOT NULL CHECK (kind IN ('image', 'certificate')),
  content_type  text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp', 'application/pdf')),
  size_bytes    integer NOT NULL CHECK (size_bytes > 0),
  storage_key   text NOT NULL,
  sha256        text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  uploader_type text NOT NULL CHECK (uploader_type IN ('staff', 'customer', 'technician')),
  uploaded_by   uuid NOT NULL,
  -- sensitive files are readable only by the store's managers and the uploader
  sensitive     boolean NOT NULL DEFAULT false,
  -- the stored bytes are AES-256-GCM sealed (certificates always are)
  encrypted     boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, storage_key),
  CHECK (storage_key LIKE 'tenants/' || tenant_id::text || '/' || kind || '/%'),
  CHECK (kind <> 'certificate' OR (sensitive AND encrypted))
);
CREATE INDEX files_uploader_idx ON files (tenant_id, uploader_type, uploaded_by);

ALTER TABLE files ENABLE ROW LEVEL SECURITY;
ALTER TABLE files FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON files FOR ALL
  USING (tenant_id = (SELECT current_tenant_id()))
  WITH CHECK (tenant_id = (SELECT current_tenant_id()));
GRANT SELECT, INSERT, DELETE ON files TO massage_app;

-- Down Migration
DROP TABLE files;
