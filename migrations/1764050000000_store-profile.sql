-- Up Migration

-- One row per store: the public page data that is not part of the tenants directory row
-- (coordinates, opening hours, introduction, photos, service area). The phone is encrypted
-- (AAD = tenant + column); only its masked form is shown publicly.
CREATE TABLE store_profiles (
  tenant_id       uuid NOT NULL REFERENCES tenants (id),
  address         text CHECK (length(address) <= 200),
  lat             double precision CHECK (lat BETWEEN -90 AND 90),
  lng             double precision CHECK (lng BETWEEN -180 AND 180),
  phone_enc       bytea,
  phone_masked    text,
  -- {"mon": [{"open": "10:00", "close": "02:00"}], ...}; close < open runs past midnight.
  opening_hours   jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(opening_hours) = 'object'),
  introduction    text CHECK (length(introduction) <= 2000),
  photo_urls      text[] NOT NULL DEFAULT '{}' CHECK (cardinality(photo_urls) <= 20),
  area_center_lat double precision CHECK (area_center_lat BETWEEN -90 AND 90),
  area_center_lng double precision CHECK (area_center_lng BETWEEN -180 AND 180),
  area_radius_m   integer CHECK (area_radius_m BETWEEN 100 AND 100000),
  -- [[lat, lng], ...], at least a triangle
  area_polygon    jsonb CHECK (
                    area_polygon IS NULL
                    OR (jsonb_typeof(area_polygon) = 'array' AND jsonb_array_length(area_polygon) BETWEEN 3 AND 200)),
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id),
  CONSTRAINT store_profiles_location_pair CHECK ((lat IS NULL) = (lng IS NULL)),
  CONSTRAINT store_profiles_phone_pair CHECK ((phone_enc IS NULL) = (phone_masked IS NULL)),
  -- Either a full circle, a polygon, or nothing (no restriction) — never a mix.
  CONSTRAINT store_profiles_area_kind CHECK (
    (area_center_lat IS NULL AND area_center_lng IS NULL AND area_radius_m IS NULL)
    OR (area_center_lat IS NOT NULL AND area_center_lng IS NOT NULL AND area_radius_m IS NOT NULL
        AND area_polygon IS NULL))
);
CREATE TRIGGER store_profiles_touch BEFORE UPDATE ON store_profiles FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
ALTER TABLE store_profiles ENABLE ROW LEVEL SECURITY;
ALTER TABLE store_profiles FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON store_profiles FOR ALL
  USING (tenant_id = (SELECT current_tenant_id()))
  WITH CHECK (tenant_id = (SELECT current_tenant_id()));
GRANT SELECT, INSERT, UPDATE ON store_profiles TO massage_app;

-- Down Migration
DROP TABLE store_profiles;
