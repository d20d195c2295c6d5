-- Up Migration

-- One row per store: the booking rules availability is computed with. A store without a row uses
-- these same defaults (the app reads the column defaults through the repository).
CREATE TABLE booking_settings (
  tenant_id            uuid NOT NULL REFERENCES tenants (id),
  -- start times are offered every N minutes from local midnight
  slot_grid_minutes    integer NOT NULL DEFAULT 30 CHECK (slot_grid_minutes IN (10, 15, 20, 30, 60)),
  lead_time_minutes    integer NOT NULL DEFAULT 60 CHECK (lead_time_minutes BETWEEN 0 AND 10080),
  max_days_ahead       integer NOT NULL DEFAULT 14 CHECK (max_days_ahead BETWEEN 0 AND 90),
  buffer_minutes       integer NOT NULL DEFAULT 15 CHECK (buffer_minutes BETWEEN 0 AND 240),
  -- ETA = straight-line km × road factor ÷ speed + overhead (parking, lifts, finding the door)
  eta_road_factor      double precision NOT NULL DEFAULT 1.3 CHECK (eta_road_factor BETWEEN 1 AND 5),
  eta_speed_kmh        double precision NOT NULL DEFAULT 25 CHECK (eta_speed_kmh BETWEEN 3 AND 120),
  eta_overhead_minutes integer NOT NULL DEFAULT 10 CHECK (eta_overhead_minutes BETWEEN 0 AND 120),
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id)
);
CREATE TRIGGER booking_settings_touch BEFORE UPDATE ON booking_settings
  FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- Weekly working pattern in the store's local time. end_time <= start_time runs past midnight.
CREATE TABLE shift_templates (
  tenant_id     uuid NOT NULL REFERENCES tenants (id),
  id            uuid NOT NULL DEFAULT gen_random_uuid(),
  technician_id uuid NOT NULL,
  weekday       smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7), -- ISO: 1 = Monday
  start_time    time(0) NOT NULL,
  end_time      time(0) NOT NULL CHECK (end_time <> start_time),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, technician_id) REFERENCES technicians (tenant_id, id)
);
CREATE INDEX shift_templates_technician_idx ON shift_templates (tenant_id, technician_id, weekday);
CREATE TRIGGER shift_templates_touch BEFORE UPDATE ON shift_templates
  FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- A change for one local date: `work` replaces that day's templates, `off` removes the day,
-- `leave` removes the day (no times) or cuts out a span (with times).
CREATE TABLE shift_overrides (
  tenant_id     uuid NOT NULL REFERENCES tenants (id),
  id            uuid NOT NULL DEFAULT gen_random_uuid(),
  technician_id uuid NOT NULL,
  local_date    date NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('work', 'off', 'leave')),
  start_time    time(0),
  end_time      time(0),
  note          text CHECK (length(note) <= 200),
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, technician_id) REFERENCES technicians (tenant_id, id),
  CONSTRAINT shift_overrides_times CHECK (
    (kind = 'work' AND start_time IS NOT NULL AND end_time IS NOT NULL)
    OR (kind = 'off' AND start_time IS NULL AND end_time IS NULL)
    OR (kind = 'leave' AND (start_time IS NULL) = (end_time IS NULL))),
  CONSTRAINT shift_overrides_nonempty CHECK (start_time IS NULL OR start_time <> end_time)
);
CREATE INDEX shift_overrides_technician_idx ON shift_overrides (tenant_id, technician_id, local_date);

-- Time a technician is taken: a booking, a short hold while a customer checks out, or a block
-- set by the store. The exclusion constraint is the last word on double booking: two
-- overlapping active rows for one technician cannot both exist, whatever the application does.
-- Ranges are [start, end): a job ending at 11:00 and the next starting at 11:00 do not overlap.
CREATE TABLE technician_busy (
  tenant_id     uuid NOT NULL REFERENCES tenants (id),
  id            uuid NOT NULL DEFAULT gen_random_uuid(),
  technician_id uuid NOT NULL,
  during        tstzrange NOT NULL CHECK (
                  NOT isempty(during) AND lower_inc(during) AND NOT upper_inc(during)
                  AND NOT lower_inf(during) AND NOT upper_inf(during)),
  kind          text NOT NULL CHECK (kind IN ('booking', 'hold', 'block')),
  -- the order (or checkout) this time belongs to; NULL for a store block
  reference_id  uuid,
  active        boolean NOT NULL DEFAULT true,
  -- where the technician will be meanwhile (the customer's address); NULL = unknown
  location_lat  double precision CHECK (location_lat BETWEEN -90 AND 90),
  location_lng  double precision CHECK (location_lng BETWEEN -180 AND 180),
  note          text CHECK (length(note) <= 200),
  created_at    timestamptz NOT NULL DEFAULT now(),
  released_at   timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, technician_id) REFERENCES technicians (tenant_id, id),
  CONSTRAINT technician_busy_location_pair CHECK ((location_lat IS NULL) = (location_lng IS NULL)),
  CONSTRAINT technician_busy_released CHECK (active = (released_at IS NULL)),
  CONSTRAINT technician_busy_no_overlap
    EXCLUDE USING gist (tenant_id WITH =, technician_id WITH =, during WITH &&) WHERE (active)
);
CREATE INDEX technician_busy_reference_idx ON technician_busy (tenant_id, reference_id);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['booking_settings', 'shift_templates', 'shift_overrides', 'technician_busy']
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

GRANT SELECT, INSERT, UPDATE ON booking_settings TO massage_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON shift_templates, shift_overrides TO massage_app;
-- Busy time is released (active = false), never deleted: it is the history of who was where.
GRANT SELECT, INSERT ON technician_busy TO massage_app;
GRANT UPDATE (active, released_at) ON technician_busy TO massage_app;

-- Down Migration
DROP TABLE technician_busy, shift_overrides, shift_templates, booking_settings;
