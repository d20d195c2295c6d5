-- Up Migration

-- Service catalog of a store: categories → services → duration options (each with its own
-- price), add-ons (加钟 extensions and 物料 materials), and one travel-fee rule set per store.
-- Money is integer fen. Retired items are deactivated, not deleted (orders will refer to them).

CREATE TABLE service_categories (
  tenant_id  uuid NOT NULL REFERENCES tenants (id),
  id         uuid NOT NULL DEFAULT gen_random_uuid(),
  name_zh    text NOT NULL CHECK (length(name_zh) BETWEEN 1 AND 40),
  name_en    text CHECK (length(name_en) BETWEEN 1 AND 60),
  icon       text CHECK (length(icon) <= 500),
  sort_order integer NOT NULL DEFAULT 0,
  active     boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, name_zh)
);
CREATE TRIGGER service_categories_touch BEFORE UPDATE ON service_categories
  FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

CREATE TABLE services (
  tenant_id       uuid NOT NULL REFERENCES tenants (id),
  id              uuid NOT NULL DEFAULT gen_random_uuid(),
  category_id     uuid NOT NULL,
  name_zh         text NOT NULL CHECK (length(name_zh) BETWEEN 1 AND 60),
  name_en         text CHECK (length(name_en) BETWEEN 1 AND 100),
  description     text CHECK (length(description) <= 4000),
  -- uploaded file ids (files.id) or absolute https URLs, in display order
  images          text[] NOT NULL DEFAULT '{}' CHECK (cardinality(images) <= 9),
  -- skill codes a technician must have (technicians.skills), e.g. tuina, spa_oil, foot
  required_skills text[] NOT NULL DEFAULT '{}' CHECK (cardinality(required_skills) <= 10),
  active          boolean NOT NULL DEFAULT true,
  sort_order      integer NOT NULL DEFAULT 0,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, category_id) REFERENCES service_categories (tenant_id, id)
);
CREATE INDEX services_category_idx ON services (tenant_id, category_id, sort_order);
CREATE TRIGGER services_touch BEFORE UPDATE ON services FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

CREATE TABLE service_durations (
  tenant_id  uuid NOT NULL REFERENCES tenants (id),
  id         uuid NOT NULL DEFAULT gen_random_uuid(),
  service_id uuid NOT NULL,
  minutes    integer NOT NULL CHECK (minutes BETWEEN 15 AND 480),
  price_fen  integer NOT NULL CHECK (price_fen >= 0),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, service_id, minutes),
  FOREIGN KEY (tenant_id, service_id) REFERENCES services (tenant_id, id) ON DELETE CASCADE
);

-- service_id NULL = offered with every service of the store.
CREATE TABLE service_addons (
  tenant_id    uuid NOT NULL REFERENCES tenants (id),
  id           uuid NOT NULL DEFAULT gen_random_uuid(),
  service_id   uuid,
  kind         text NOT NULL CHECK (kind IN ('extension', 'material')),
  name_zh      text NOT NULL CHECK (length(name_zh) BETWEEN 1 AND 40),
  name_en      text CHECK (length(name_en) BETWEEN 1 AND 60),
  -- an extension (加钟) adds this many minutes per unit; materials take no time
  minutes      integer CHECK (minutes BETWEEN 5 AND 240),
  price_fen    integer NOT NULL CHECK (price_fen >= 0),
  max_quantity integer NOT NULL DEFAULT 1 CHECK (max_quantity BETWEEN 1 AND 20),
  active       boolean NOT NULL DEFAULT true,
  sort_order   integer NOT NULL DEFAULT 0,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, service_id) REFERENCES services (tenant_id, id) ON DELETE CASCADE,
  CHECK ((kind = 'extension') = (minutes IS NOT NULL))
);
CREATE INDEX service_addons_service_idx ON service_addons (tenant_id, service_id);
CREATE TRIGGER service_addons_touch BEFORE UPDATE ON service_addons FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- One rule set per store. Night window in minutes of the local day (store timezone); it may
-- cross midnight (start > end, e.g. 1320 → 360 = 22:00–06:00).
CREATE TABLE travel_fee_rules (
  tenant_id           uuid NOT NULL REFERENCES tenants (id),
  id                  uuid NOT NULL DEFAULT gen_random_uuid(),
  free_radius_m       integer NOT NULL DEFAULT 0 CHECK (free_radius_m BETWEEN 0 AND 200000),
  price_per_km_fen    integer NOT NULL DEFAULT 0 CHECK (price_per_km_fen BETWEEN 0 AND 100000),
  night_start_minute  integer CHECK (night_start_minute BETWEEN 0 AND 1439),
  night_end_minute    integer CHECK (night_end_minute BETWEEN 0 AND 1439),
  night_surcharge_fen integer NOT NULL DEFAULT 0 CHECK (night_surcharge_fen >= 0),
  minimum_order_fen   integer NOT NULL DEFAULT 0 CHECK (minimum_order_fen >= 0),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id),
  CHECK ((night_start_minute IS NULL) = (night_end_minute IS NULL)),
  CHECK (night_start_minute IS DISTINCT FROM night_end_minute OR night_start_minute IS NULL)
);
CREATE TRIGGER travel_fee_rules_touch BEFORE UPDATE ON travel_fee_rules FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['service_categories', 'services', 'service_durations', 'service_addons', 'travel_fee_rules']
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

GRANT SELECT, INSERT, UPDATE ON service_categories, services, travel_fee_rules TO massage_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON service_durations, service_addons TO massage_app;

-- Down Migration
DROP TABLE travel_fee_rules, service_addons, service_durations, services, service_categories;
