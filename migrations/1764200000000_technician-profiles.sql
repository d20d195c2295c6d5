-- Up Migration

-- Technician tiers (初级/中级/高级/金牌), each with the commission rate the technician earns on an
-- order, in basis points (10000 = 100%) so money math stays in integers.
CREATE TABLE technician_tiers (
  tenant_id      uuid NOT NULL REFERENCES tenants (id),
  id             uuid NOT NULL DEFAULT gen_random_uuid(),
  code           text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_]{0,31}$'),
  name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 20),
  commission_bps integer NOT NULL CHECK (commission_bps BETWEEN 0 AND 10000),
  sort           integer NOT NULL DEFAULT 0,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, code)
);
CREATE TRIGGER technician_tiers_touch BEFORE UPDATE ON technician_tiers
  FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- The profile a technician submits for review, plus what the store and the app maintain.
-- The ID number is never stored in plain text: AES-GCM sealed (AAD = store + technician),
-- an HMAC lookup hash to refuse the same person twice in one store, and a masked form
-- (110***********1234) for staff who may not see the full number.
ALTER TABLE technicians
  -- what customers see (e.g. 李技师), so the real name stays with the store
  ADD COLUMN display_name     text CHECK (length(display_name) BETWEEN 1 AND 20),
  ADD COLUMN gender           text CHECK (gender IN ('female', 'male')),
  ADD COLUMN photo_file_id    uuid,
  ADD COLUMN id_number_enc    bytea,
  ADD COLUMN id_number_hash   bytea,
  ADD COLUMN id_number_masked text,
  ADD COLUMN skills           text[] NOT NULL DEFAULT '{}',
  ADD COLUMN experience_years integer CHECK (experience_years BETWEEN 0 AND 60),
  ADD COLUMN introduction     text CHECK (length(introduction) <= 2000),
  ADD COLUMN tier_id          uuid,
  ADD COLUMN home_lat         double precision CHECK (home_lat BETWEEN -90 AND 90),
  ADD COLUMN home_lng         double precision CHECK (home_lng BETWEEN -180 AND 180),
  ADD COLUMN online           boolean NOT NULL DEFAULT false,
  ADD COLUMN online_since     timestamptz,
  ADD COLUMN last_lat         double precision CHECK (last_lat BETWEEN -90 AND 90),
  ADD COLUMN last_lng         double precision CHECK (last_lng BETWEEN -180 AND 180),
  ADD COLUMN located_at       timestamptz,
  ADD COLUMN submitted_at     timestamptz,
  ADD COLUMN rejection_reason text,
  ADD COLUMN reviewed_by      uuid,
  ADD COLUMN reviewed_at      timestamptz,
  ADD COLUMN disabled_at      timestamptz,
  ADD COLUMN rating_avg       numeric(3, 2) CHECK (rating_avg BETWEEN 0 AND 5),
  ADD COLUMN rating_count     integer NOT NULL DEFAULT 0 CHECK (rating_count >= 0),
  ADD CONSTRAINT technicians_photo_fk FOREIGN KEY (tenant_id, photo_file_id) REFERENCES files (tenant_id, id),
  ADD CONSTRAINT technicians_tier_fk FOREIGN KEY (tenant_id, tier_id) REFERENCES technician_tiers (tenant_id, id),
  ADD CONSTRAINT technicians_reviewer_fk FOREIGN KEY (tenant_id, reviewed_by) REFERENCES staff_accounts (tenant_id, id),
  ADD CONSTRAINT technicians_id_number_hash_key UNIQUE (tenant_id, id_number_hash),
  -- only an approved technician can be on duty; disabling or rejecting takes them offline
  ADD CONSTRAINT technicians_online_approved CHECK (NOT online OR status = 'approved'),
  ADD CONSTRAINT technicians_home_pair CHECK ((home_lat IS NULL) = (home_lng IS NULL)),
  ADD CONSTRAINT technicians_last_pair CHECK ((last_lat IS NULL) = (last_lng IS NULL)),
  ADD CONSTRAINT technicians_id_number_parts CHECK ((id_number_enc IS NULL) = (id_number_hash IS NULL)),
  ADD CONSTRAINT technicians_rejection_reason CHECK (status <> 'rejected' OR rejection_reason IS NOT NULL);
CREATE INDEX technicians_status_idx ON technicians (tenant_id, status);

-- Qualification documents (按摩师证, 健康证 …). The file itself is a sensitive, encrypted file row.
CREATE TABLE technician_certificates (
  tenant_id     uuid NOT NULL REFERENCES tenants (id),
  id            uuid NOT NULL DEFAULT gen_random_uuid(),
  technician_id uuid NOT NULL,
  file_id       uuid NOT NULL,
  kind          text NOT NULL DEFAULT 'other'
                CHECK (kind IN ('massage_license', 'health_certificate', 'training', 'other')),
  verified      boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, technician_id, file_id),
  FOREIGN KEY (tenant_id, technician_id) REFERENCES technicians (tenant_id, id),
  FOREIGN KEY (tenant_id, file_id) REFERENCES files (tenant_id, id)
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['technician_tiers', 'technician_certificates']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I FOR ALL
         USING (tenant_id = (SELECT current_tenant_id()))
         WITH CHECK (tenant_id = (SELECT current_tenant_id()))', t);
  END LOOP;
END
$$;

GRANT SELECT, INSERT, UPDATE, DELETE ON technician_tiers, technician_certificates TO massage_app;

-- Down Migration
DROP TABLE technician_certificates;
DROP INDEX technicians_status_idx;
ALTER TABLE technicians
  DROP CONSTRAINT technicians_photo_fk,
  DROP CONSTRAINT technicians_tier_fk,
  DROP CONSTRAINT technicians_reviewer_fk,
  DROP CONSTRAINT technicians_id_number_hash_key,
  DROP CONSTRAINT technicians_online_approved,
  DROP CONSTRAINT technicians_home_pair,
  DROP CONSTRAINT technicians_last_pair,
  DROP CONSTRAINT technicians_id_number_parts,
  DROP CONSTRAINT technicians_rejection_reason,
  DROP COLUMN display_name, DROP COLUMN gender, DROP COLUMN photo_file_id, DROP COLUMN id_number_enc, DROP COLUMN id_number_hash,
  DROP COLUMN id_number_masked, DROP COLUMN skills, DROP COLUMN experience_years, DROP COLUMN introduction,
  DROP COLUMN tier_id, DROP COLUMN home_lat, DROP COLUMN home_lng, DROP COLUMN online, DROP COLUMN online_since,
  DROP COLUMN last_lat, DROP COLUMN last_lng, DROP COLUMN located_at, DROP COLUMN submitted_at,
  DROP COLUMN rejection_reason, DROP COLUMN reviewed_by, DROP COLUMN reviewed_at, DROP COLUMN disabled_at,
  DROP COLUMN rating_avg, DROP COLUMN rating_count;
DROP TABLE technician_tiers;
