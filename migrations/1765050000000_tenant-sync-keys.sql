-- Up Migration

-- Rows that `npm run tenants:sync` manages carry the stable key they have in
-- tenants/<slug>/tenant.yaml (catalog entries, tiers, demo technicians and their weekly shifts).
-- The sync finds its rows by this key only; rows without one were created in the app and the sync
-- never reads, changes or removes them. Unique per store, so two syncs cannot both insert a row.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['service_categories', 'services', 'service_addons', 'technician_tiers', 'technicians',
                           'shift_templates']
  LOOP
    EXECUTE format(
      'ALTER TABLE %I ADD COLUMN sync_key text CONSTRAINT %I CHECK (sync_key ~ ''^[a-z0-9][a-z0-9._-]{0,79}$'')',
      t, t || '_sync_key_check');
    EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I UNIQUE (tenant_id, sync_key)', t, t || '_sync_key_key');
  END LOOP;
END
$$;

-- Down Migration
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['service_categories', 'services', 'service_addons', 'technician_tiers', 'technicians',
                           'shift_templates']
  LOOP
    EXECUTE format('ALTER TABLE %I DROP COLUMN sync_key', t);
  END LOOP;
END
$$;
