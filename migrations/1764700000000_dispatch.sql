-- Up Migration

-- Dispatch (派单): per-store settings, customers' block lists, the per-order dispatch run, offers
-- sent to technicians, the explainable dispatch log and technicians' appeals.

-- One row per store; no row = the defaults below (the code reads the same defaults).
-- mode: manual (staff assign) | auto (offers one technician at a time) | grab (抢单 hall, all
-- eligible technicians inside the current radius step see it) | auto_then_grab.
CREATE TABLE dispatch_settings (
  tenant_id             uuid NOT NULL REFERENCES tenants (id),
  mode                  text NOT NULL DEFAULT 'auto_then_grab'
                        CHECK (mode IN ('manual', 'auto', 'grab', 'auto_then_grab')),
  offer_timeout_seconds integer NOT NULL DEFAULT 60 CHECK (offer_timeout_seconds BETWEEN 1 AND 3600),
  -- widening search radii in metres, tried in order
  radius_steps_m        integer[] NOT NULL DEFAULT '{3000,6000,10000}'
                        CHECK (cardinality(radius_steps_m) BETWEEN 1 AND 10 AND 0 < ALL (radius_steps_m)
                               AND 100000 >= ALL (radius_steps_m)),
  -- the platform's shared pool (跨店共享池), read by the shared-pool module
  pool_participation    text NOT NULL DEFAULT 'none' CHECK (pool_participation IN ('none', 'giver', 'taker', 'both')),
  -- ranking weights, 0..100 each (relative; they need not sum to 100)
  weight_eta            integer NOT NULL DEFAULT 40 CHECK (weight_eta BETWEEN 0 AND 100),
  weight_rating         integer NOT NULL DEFAULT 25 CHECK (weight_rating BETWEEN 0 AND 100),
  weight_tier           integer NOT NULL DEFAULT 15 CHECK (weight_tier BETWEEN 0 AND 100),
  weight_fairness       integer NOT NULL DEFAULT 20 CHECK (weight_fairness BETWEEN 0 AND 100),
  updated_by            uuid,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id)
);
CREATE TRIGGER dispatch_settings_touch BEFORE UPDATE ON dispatch_settings
  FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- A customer's "do not send me this technician" list; dispatch excludes them (reason `blocked`).
CREATE TABLE customer_technician_blocks (
  tenant_id     uuid NOT NULL REFERENCES tenants (id),
  id            uuid NOT NULL DEFAULT gen_random_uuid(),
  customer_id   uuid NOT NULL,
  technician_id uuid NOT NULL,
  reason        text CHECK (length(reason) <= 200),
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, customer_id, technician_id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
  FOREIGN KEY (tenant_id, technician_id) REFERENCES technicians (tenant_id, id)
);

-- Where an order's dispatch stands. Its row lock serialises every step of one order's dispatch
-- (offer, accept, decline, timeout, escalation, manual assignment), so replays cannot fork it.
CREATE TABLE dispatch_runs (
  tenant_id  uuid NOT NULL REFERENCES tenants (id),
  order_id   uuid NOT NULL,
  state      text NOT NULL DEFAULT 'offering'
             CHECK (state IN ('offering', 'grab', 'needs_staff', 'assigned', 'closed')),
  mode       text NOT NULL CHECK (mode IN ('manual', 'auto', 'grab', 'auto_then_grab')),
  step_index integer NOT NULL DEFAULT 0 CHECK (step_index >= 0),
  round      integer NOT NULL DEFAULT 0 CHECK (round >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, order_id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);
CREATE INDEX dispatch_runs_state_idx ON dispatch_runs (tenant_id, state);
CREATE TRIGGER dispatch_runs_touch BEFORE UPDATE ON dispatch_runs FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

CREATE TABLE dispatch_offers (
  tenant_id     uuid NOT NULL REFERENCES tenants (id),
  id            uuid NOT NULL DEFAULT gen_random_uuid(),
  order_id      uuid NOT NULL,
  technician_id uuid NOT NULL,
  round         integer NOT NULL CHECK (round > 0),
  step_index    integer NOT NULL CHECK (step_index >= 0),
  radius_m      integer NOT NULL CHECK (radius_m > 0),
  status        text NOT NULL DEFAULT 'offered'
                CHECK (status IN ('offered', 'accepted', 'declined', 'expired', 'withdrawn')),
  score         double precision,
  offered_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL CHECK (expires_at > offered_at),
  responded_at  timestamptz,
  PRIMARY KEY (tenant_id, id),
  -- a replayed step cannot offer the same round to the same technician twice
  UNIQUE (tenant_id, order_id, technician_id, round),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
  FOREIGN KEY (tenant_id, technician_id) REFERENCES technicians (tenant_id, id),
  CONSTRAINT dispatch_offers_responded CHECK ((status = 'offered') = (responded_at IS NULL))
);
-- auto mode offers to one technician at a time: at most one open offer per order
CREATE UNIQUE INDEX dispatch_offers_one_open ON dispatch_offers (tenant_id, order_id) WHERE status = 'offered';
CREATE INDEX dispatch_offers_technician_idx ON dispatch_offers (tenant_id, technician_id, status);

-- The explainable dispatch log: one row per decision, append-only. `seq` orders the story.
CREATE TABLE dispatch_log (
  tenant_id     uuid NOT NULL REFERENCES tenants (id),
  id            uuid NOT NULL DEFAULT gen_random_uuid(),
  order_id      uuid NOT NULL,
  seq           bigint GENERATED ALWAYS AS IDENTITY,
  at            timestamptz NOT NULL DEFAULT clock_timestamp(),
  kind          text NOT NULL CHECK (kind IN (
                  'considered', 'excluded', 'scored', 'offered', 'declined', 'expired', 'withdrawn', 'escalated',
                  'needs_staff', 'assigned', 'reassigned', 'grab_opened', 'grab_won', 'grab_lost', 'appeal')),
  technician_id uuid,
  score         jsonb,
  reason_code   text,
  details       jsonb NOT NULL DEFAULT '{}',
  actor_type    text NOT NULL CHECK (actor_type IN ('staff', 'customer', 'technician', 'system')),
  actor_id      text,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
  FOREIGN KEY (tenant_id, technician_id) REFERENCES technicians (tenant_id, id)
);
CREATE INDEX dispatch_log_order_idx ON dispatch_log (tenant_id, order_id, seq);
-- fairness: assignments per technician in the last 24 h
CREATE INDEX dispatch_log_technician_idx ON dispatch_log (tenant_id, technician_id, kind, at);
CREATE TRIGGER dispatch_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON dispatch_log
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_mutation();

-- A technician disputes a dispatch decision involving them; staff answer.
CREATE TABLE dispatch_appeals (
  tenant_id     uuid NOT NULL REFERENCES tenants (id),
  id            uuid NOT NULL DEFAULT gen_random_uuid(),
  order_id      uuid NOT NULL,
  technician_id uuid NOT NULL,
  text          text NOT NULL CHECK (length(text) BETWEEN 1 AND 1000),
  status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
  reply         text CHECK (length(reply) <= 1000),
  resolved_by   uuid,
  resolved_at   timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
  FOREIGN KEY (tenant_id, technician_id) REFERENCES technicians (tenant_id, id),
  FOREIGN KEY (tenant_id, resolved_by) REFERENCES staff_accounts (tenant_id, id),
  CONSTRAINT dispatch_appeals_resolution CHECK ((status = 'resolved') = (resolved_at IS NOT NULL AND reply IS NOT NULL))
);
CREATE INDEX dispatch_appeals_status_idx ON dispatch_appeals (tenant_id, status, created_at);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['dispatch_settings', 'customer_technician_blocks', 'dispatch_runs', 'dispatch_offers',
                           'dispatch_log', 'dispatch_appeals']
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

GRANT SELECT, INSERT, UPDATE ON dispatch_settings, dispatch_runs, dispatch_offers, dispatch_appeals TO massage_app;
GRANT SELECT, INSERT, DELETE ON customer_technician_blocks TO massage_app;
GRANT SELECT, INSERT ON dispatch_log TO massage_app;

-- Down Migration
DROP TABLE dispatch_appeals, dispatch_log, dispatch_offers, dispatch_runs, customer_technician_blocks, dispatch_settings;
